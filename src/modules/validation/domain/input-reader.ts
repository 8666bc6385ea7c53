import { InputError, type FieldIssue } from '../../../platform/errors.js';

const isMissing = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Reads one input object field by field, gathering every problem so that one InputError names them all
 * (DESIGN §5). Readers return a harmless placeholder for a bad field; `finish` throws when anything was bad.
 * Nested objects are read by a `child` reader that reports into the same list, with its pointer prefix.
 */
export class InputReader {
  readonly #issues: FieldIssue[];
  readonly #at: string;

  constructor(
    readonly input: Readonly<Record<string, unknown>>,
    issues: FieldIssue[] = [],
    at = '',
  ) {
    this.#issues = issues;
    this.#at = at;
  }

  pointer(key: string): string {
    return `${this.#at}/${key}`;
  }

  problem(key: string, detail: string): void {
    this.#issues.push({ pointer: this.pointer(key), detail });
  }

  /** A reader of the object at `key` (empty when absent; a problem when not an object). */
  child(key: string): InputReader {
    const value = this.input[key];
    let object: Record<string, unknown> = {};
    if (value !== undefined && value !== null) {
      if (typeof value === 'object' && !Array.isArray(value)) object = value as Record<string, unknown>;
      else this.problem(key, 'must be an object');
    }
    return new InputReader(object, this.#issues, this.pointer(key));
  }

  has(key: string): boolean {
    return this.input[key] !== undefined;
  }

  /** Refuses fields not in `known`, so that a misspelt option is an error rather than silently ignored. */
  only(known: readonly string[]): void {
    for (const key of Object.keys(this.input))
      if (!known.includes(key)) this.problem(key, `is not a known field (known: ${known.join(', ')})`);
  }

  /** Text of at most `max` characters; line breaks kept when `multiline`, other control characters refused. */
  text(key: string, max: number, multiline = false): string {
    const value = this.optionalText(key, max, multiline);
    if (value === null) this.problem(key, 'is required');
    return value ?? '';
  }

  optionalText(key: string, max: number, multiline = false): string | null {
    const value = this.input[key];
    if (isMissing(value)) return null;
    if (typeof value !== 'string') {
      this.problem(key, 'must be text');
      return null;
    }
    const text = multiline ? value.trim() : value.trim().replace(/\s+/g, ' ');
    if (text.length > max) this.problem(key, `must be at most ${max} characters`);
    if (/\p{Cc}/u.test(multiline ? text.replace(/[\n\r\t]/g, '') : text)) this.problem(key, 'must not contain control characters');
    return text;
  }

  optionalBoolean(key: string): boolean | null {
    const value = this.input[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') this.problem(key, 'must be true or false');
    return value === true;
  }

  boolean(key: string): boolean {
    if (this.input[key] === undefined || this.input[key] === null) this.problem(key, 'is required (true or false)');
    return this.optionalBoolean(key) ?? false;
  }

  /** A number in [min, max]; whole when `integer`. */
  number(key: string, min: number, max: number, integer = false): number {
    const value = this.input[key];
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
    if (!ok) this.problem(key, `must be a ${integer ? 'whole number' : 'number'} from ${min} to ${max}`);
    return ok ? value : min;
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.input[key];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `must be one of ${allowed.join(', ')}`);
    return allowed[0] as T;
  }

  optionalOneOf<const T extends string>(key: string, allowed: readonly T[]): T | null {
    return this.input[key] === undefined || this.input[key] === null ? null : this.oneOf(key, allowed);
  }

  /** A list of texts, each at most `max` characters, at most `count` of them. */
  texts(key: string, max: number, count: number): string[] {
    const value = this.input[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.length > count) {
      this.problem(key, `must be a list of at most ${count} texts`);
      return [];
    }
    const items = new InputReader(Object.fromEntries(value.map((v: unknown, i) => [String(i), v])), this.#issues, this.pointer(key));
    return value.map((_v, i) => items.text(String(i), max, true));
  }

  /** Throws InputError naming every problem found, if any. */
  finish(what: string): void {
    if (this.#issues.length > 0)
      throw new InputError(`${what}: ${this.#issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, [...this.#issues]);
  }
}

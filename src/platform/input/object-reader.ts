import { FieldReader } from './field-reader.js';

/**
 * Reads one input object key by key through a {@link FieldReader}, so that its rules and messages are the
 * same as every other input's. Nested objects are read by a `child` reader reporting into the same list.
 */
export class ObjectReader {
  constructor(
    readonly input: Readonly<Record<string, unknown>>,
    readonly fields: FieldReader = new FieldReader(),
    readonly at = '',
  ) {}

  pointer(key: string): string {
    return `${this.at}/${key}`;
  }

  problem(key: string, detail: string): void {
    this.fields.add(this.pointer(key), detail);
  }

  /** A reader of the object at `key` (empty when absent; a problem when not an object). */
  child(key: string): ObjectReader {
    const value = this.input[key];
    let object: Record<string, unknown> = {};
    if (value !== undefined && value !== null) {
      if (typeof value === 'object' && !Array.isArray(value)) object = value as Record<string, unknown>;
      else this.problem(key, 'must be an object');
    }
    return new ObjectReader(object, this.fields, this.pointer(key));
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
    const at = this.pointer(key);
    return multiline ? (this.fields.prose(at, this.input[key], max, true) ?? '') : this.fields.text(at, this.input[key], max);
  }

  optionalText(key: string, max: number, multiline = false): string | null {
    const at = this.pointer(key);
    return multiline ? this.fields.prose(at, this.input[key], max) : this.fields.optionalText(at, this.input[key], max);
  }

  optionalBoolean(key: string): boolean | null {
    const value = this.input[key];
    return value === undefined || value === null ? null : this.fields.boolean(this.pointer(key), value, false);
  }

  boolean(key: string): boolean {
    if (this.input[key] === undefined || this.input[key] === null) this.problem(key, 'is required (true or false)');
    return this.optionalBoolean(key) ?? false;
  }

  /** A number in [min, max]; whole when `integer`. */
  number(key: string, min: number, max: number, integer = false): number {
    const at = this.pointer(key);
    return integer ? this.fields.integer(at, this.input[key], min, max) : this.fields.number(at, this.input[key], min, max);
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    return this.fields.oneOf(this.pointer(key), this.input[key], allowed);
  }

  optionalOneOf<const T extends string>(key: string, allowed: readonly T[]): T | null {
    return this.input[key] === undefined || this.input[key] === null ? null : this.oneOf(key, allowed);
  }

  /** A list of texts (line breaks kept), each at most `max` characters, at most `count` of them. */
  texts(key: string, max: number, count: number): string[] {
    return this.fields.list(this.pointer(key), this.input[key], count, (v, at) => this.fields.prose(at, v, max, true) ?? '');
  }

  /** Throws InputError naming every problem found, if any, after `summary`. */
  finish(summary: string): void {
    this.fields.done(summary);
  }
}

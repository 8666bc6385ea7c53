import { InputError, type FieldIssue } from '../../../platform/errors.js';

// An instant must carry its offset: a bare local time would mean a different instant in every zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Collects every bad field of one input, so that a single answer names them all (DESIGN §5, "Bad input"),
 * and reads each field into its normalized form.
 */
export class FieldReader {
  readonly issues: FieldIssue[] = [];

  add(pointer: string, detail: string): void {
    this.issues.push({ pointer, detail });
  }

  /** Trimmed text with inner white space collapsed; '' (and an issue) when missing. */
  text(pointer: string, value: unknown, max: number): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(pointer, 'is required');
      return '';
    }
    return this.#checkText(pointer, value.trim().replace(/\s+/g, ' '), max);
  }

  optionalText(pointer: string, value: unknown, max: number): string | null {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
    return this.text(pointer, value, max);
  }

  /** Multi-line prose (descriptions): line breaks kept, other control characters refused. */
  prose(pointer: string, value: unknown, max: number, required = false): string | null {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (required) this.add(pointer, 'is required');
      return required ? '' : null;
    }
    if (typeof value !== 'string') {
      this.add(pointer, 'must be text');
      return null;
    }
    const trimmed = value.trim();
    if (trimmed.length > max) this.add(pointer, `must be at most ${max} characters`);
    if (/\p{Cc}/u.test(trimmed.replace(/[\n\r\t]/g, '')))
      this.add(pointer, 'must not contain control characters other than line breaks and tabs');
    return trimmed;
  }

  #checkText(pointer: string, value: string, max: number): string {
    if (value.length > max) this.add(pointer, `must be at most ${max} characters`);
    if (/\p{Cc}/u.test(value)) this.add(pointer, 'must not contain control characters');
    return value;
  }

  integer(pointer: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(
        pointer,
        max === Number.MAX_SAFE_INTEGER ? `must be a whole number of at least ${min}` : `must be a whole number from ${min} to ${max}`,
      );
      return min;
    }
    return value;
  }

  number(pointer: string, value: unknown, min = -Infinity, max = Infinity): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.add(
        pointer,
        Number.isFinite(min) || Number.isFinite(max) ? `must be a number from ${min} to ${max}` : 'must be a finite number',
      );
      return 0;
    }
    return value;
  }

  boolean(pointer: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.add(pointer, 'must be true or false');
    return value === true;
  }

  oneOf<const T extends string>(pointer: string, value: unknown, allowed: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.add(pointer, `must be one of ${allowed.join(', ')}`);
    return allowed[0] as T;
  }

  /** An ISO 8601 instant with `Z` or an explicit offset. */
  instant(pointer: string, value: unknown): Date {
    if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
      this.add(pointer, 'must be an ISO 8601 instant with Z or an offset, e.g. 2026-06-10T09:00:00-04:00');
      return new Date(0);
    }
    return new Date(value);
  }

  /** A calendar date (`2026-09-01`) or an instant; answered as a date or a UTC ISO instant. */
  dateOrInstant(pointer: string, value: unknown): string {
    if (typeof value === 'string' && DATE_ONLY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value) return value;
    }
    if (typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
    this.add(pointer, 'must be a date (2026-09-01) or an ISO 8601 instant with an offset');
    return '';
  }

  /**
   * An optional array of at most `max` items, each read by `item` (given its pointer): [] when absent,
   * [] and an issue when it is not an array or too long.
   */
  list<T>(pointer: string, value: unknown, max: number, item: (value: unknown, at: string) => T): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > max) {
      this.add(pointer, `must be an array of at most ${max} items`);
      return [];
    }
    return value.map((v: unknown, i) => item(v, `${pointer}/${i}`));
  }

  /** Throws InputError naming every issue collected so far. */
  done(): void {
    if (this.issues.length > 0) throw new InputError(this.issues.map((i) => `${i.pointer}: ${i.detail}`).join('; '), this.issues);
  }
}

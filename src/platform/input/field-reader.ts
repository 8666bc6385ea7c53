import { IssueList } from './issues.js';

// An instant must carry its offset: a bare local time would mean a different instant in every zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const isMissing = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Reads each field of one input into its normalized form, collecting every bad field (with its JSON
 * pointer and the rule it broke) so that one InputError names them all. A reader answers a harmless
 * placeholder for a bad field; `done` throws when anything was bad.
 */
export class FieldReader extends IssueList {
  /** Trimmed text with inner white space collapsed; '' (and an issue) when missing. */
  text(pointer: string, value: unknown, max: number): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(pointer, isMissing(value) ? 'is required' : 'must be text');
      return '';
    }
    const text = value.trim().replace(/\s+/g, ' ');
    if (text.length > max) this.add(pointer, `must be at most ${max} characters`);
    if (/\p{Cc}/u.test(text)) this.add(pointer, 'must not contain control characters');
    return text;
  }

  optionalText(pointer: string, value: unknown, max: number): string | null {
    return isMissing(value) ? null : this.text(pointer, value, max);
  }

  /** Multi-line prose (descriptions): line breaks kept, other control characters refused. */
  prose(pointer: string, value: unknown, max: number, required = false): string | null {
    if (isMissing(value)) {
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
      return Number.isFinite(min) ? min : 0;
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
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.length > max) {
      this.add(pointer, `must be an array of at most ${max} items`);
      return [];
    }
    return value.map((v: unknown, i) => item(v, `${pointer}/${i}`));
  }

  /** Throws InputError naming every issue collected so far, after `summary` when given. */
  done(summary = ''): void {
    this.throwIfAny(summary);
  }
}

/**
 * Small readers for parsed JSON. Schema validation runs first, but schemas leave room (extra properties,
 * loose types in free-form parts), so parsers read through these instead of trusting casts.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object, or an empty one. */
export function record(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

/** The array, or an empty one. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A trimmed non-empty string, or null. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Trimmed non-empty strings of an array; other items are skipped. */
export function texts(value: unknown): string[] {
  const out: string[] = [];
  for (const item of list(value)) {
    const t = text(item);
    if (t !== null) out.push(t);
  }
  return out;
}

export function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** A finite number, also from a numeric string (SARIF `security-severity` is a string). */
export function finiteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

/** Appends segments to a JSON pointer, escaping `~` and `/` (RFC 6901). */
export function pointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const segment of segments) {
    const text = String(segment);
    // Parsers make a pointer per finding and field read: most segments need no escaping, and no copy.
    out += `/${ESCAPED.test(text) ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
  }
  return out;
}

const ESCAPED = /[~/]/;

/** Values without duplicates, first occurrence kept. */
export function unique<T>(values: Iterable<T>, key: (value: T) => string = String): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const value of values) {
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(value);
  }
  return out;
}

/**
 * The shape every per-ecosystem version order shares. Each ecosystem file (version-order-*.ts) parses a
 * version string once into its own comparable form, so that range evaluation can compile advisory bounds
 * once and compare many component versions against them cheaply.
 */

/** A total order over one ecosystem's version strings. Domain value: frozen, stateless. */
export interface VersionOrder<P = unknown> {
  /** Name of the rule set, for explanations ("PEP 440", "dpkg"). */
  readonly scheme: string;
  /** False only for `unknownOrder` (no order defined for the ecosystem): its ranges evaluate to "unknown". */
  readonly exact: boolean;
  /** The parsed form, or null when the string is not a valid version in this scheme. Never throws. */
  parse(version: string): P | null;
  /** Compares two parsed versions: -1, 0 or 1. */
  compareParsed(a: P, b: P): number;
  /**
   * Compares two version strings: -1, 0 or 1. Never throws, so it is safe inside `Array.prototype.sort`:
   * a string that is not a valid version sorts before every valid one, and invalid strings sort among
   * themselves by UTF-16 code units. Callers that must tell "older" from "not a version" use `parse`.
   */
  compare(a: string, b: string): number;
}

/** -1, 0 or 1, whatever the magnitude a rule produced. */
export function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Plain code-unit order, the tie-breaker for strings no rule applies to. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two digit strings by numeric value without converting them, so arbitrarily long numbers
 * (dates, build counters) never overflow.
 */
export function compareDigitStrings(a: string, b: string): number {
  return compareDigitRuns(a, 0, a.length, b, 0, b.length);
}

/**
 * {@link compareDigitStrings} over the digit runs `a[aStart, aEnd)` and `b[bStart, bEnd)`, so a tokenizer
 * can compare numbers inside a version string without slicing them out (or allocating a BigInt).
 */
export function compareDigitRuns(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  // On the hot path of every range check: skip leading zeros by index rather than allocating trimmed copies.
  let i = aStart;
  let j = bStart;
  while (i < aEnd && a.charCodeAt(i) === 48) i += 1;
  while (j < bEnd && b.charCodeAt(j) === 48) j += 1;
  const x = aEnd - i;
  const y = bEnd - j;
  if (x !== y) return x < y ? -1 : 1;
  for (; i < aEnd; i += 1, j += 1) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Builds a frozen {@link VersionOrder} whose string `compare` follows the invalid-first rule above. */
export function defineVersionOrder<P>(spec: {
  readonly scheme: string;
  readonly exact?: boolean;
  readonly parse: (version: string) => P | null;
  readonly compareParsed: (a: P, b: P) => number;
}): VersionOrder<P> {
  const { parse, compareParsed } = spec;
  return Object.freeze({
    scheme: spec.scheme,
    exact: spec.exact ?? true,
    parse,
    compareParsed: (a: P, b: P) => sign(compareParsed(a, b)),
    compare(a: string, b: string): number {
      const pa = parse(a);
      const pb = parse(b);
      if (pa !== null && pb !== null) return sign(compareParsed(pa, pb));
      if (pa !== null) return 1;
      if (pb !== null) return -1;
      return compareCodeUnits(a, b);
    },
  });
}

/** Compares lists of digit strings element by element; a list that is a prefix of the other is lower ("1.0" < "1.0.0"). */
export function compareDigitLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = compareDigitStrings(a[i] as string, b[i] as string);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Sets of versions of one package as sorted, disjoint intervals under the package's version order, so
 * that "do these two scopes name a common version?" is one merge walk. The order is inventory's, for the
 * package's ecosystem, handed in as the narrow {@link VersionScheme} interface.
 */

/** The part of a version order this module uses (inventory's `VersionOrder` fits it). */
export interface VersionScheme<P = unknown> {
  /** Rule set name, for messages ("PEP 440"). */
  readonly scheme: string;
  /** False for a guessed order; overlaps under it are reported as approximate. */
  readonly exact: boolean;
  parse(version: string): P | null;
  compareParsed(a: P, b: P): number;
}

export interface Bound<P = unknown> {
  readonly version: string;
  readonly parsed: P;
  readonly inclusive: boolean;
}

/** From `low` to `high`; a missing bound is unbounded. Never empty. */
export interface VersionInterval<P = unknown> {
  readonly low: Bound<P> | null;
  readonly high: Bound<P> | null;
}

export interface VersionSet<P = unknown> {
  readonly scheme: VersionScheme<P>;
  readonly intervals: readonly VersionInterval<P>[];
}

export function allVersions<P>(scheme: VersionScheme<P>): VersionSet<P> {
  return { scheme, intervals: [{ low: null, high: null }] };
}

export function singleVersion<P>(scheme: VersionScheme<P>, version: string, parsed: P): VersionSet<P> {
  const bound = { version, parsed, inclusive: true };
  return { scheme, intervals: [{ low: bound, high: bound }] };
}

/** Orders lower bounds: an unbounded low is first; at one version an inclusive low comes first. */
function compareLows<P>(scheme: VersionScheme<P>, a: Bound<P> | null, b: Bound<P> | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return scheme.compareParsed(a.parsed, b.parsed) || (a.inclusive === b.inclusive ? 0 : a.inclusive ? -1 : 1);
}

/** Orders upper bounds: an unbounded high is last; at one version an exclusive high comes first. */
function compareHighs<P>(scheme: VersionScheme<P>, a: Bound<P> | null, b: Bound<P> | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return scheme.compareParsed(a.parsed, b.parsed) || (a.inclusive === b.inclusive ? 0 : a.inclusive ? 1 : -1);
}

/** Whether an interval from `low` to `high` holds a version. Orders are dense enough that (a, b) with a < b does. */
function nonEmpty<P>(scheme: VersionScheme<P>, low: Bound<P> | null, high: Bound<P> | null): boolean {
  if (low === null || high === null) return true;
  const c = scheme.compareParsed(low.parsed, high.parsed);
  return c < 0 || (c === 0 && low.inclusive && high.inclusive);
}

/** Whether a low bound and a high bound touch or overlap, so that their intervals merge into one. */
function joins<P>(scheme: VersionScheme<P>, high: Bound<P> | null, nextLow: Bound<P> | null): boolean {
  if (high === null || nextLow === null) return true;
  const c = scheme.compareParsed(nextLow.parsed, high.parsed);
  return c < 0 || (c === 0 && (high.inclusive || nextLow.inclusive));
}

/** Sorts and merges intervals into a {@link VersionSet}. */
export function normalizeIntervals<P>(scheme: VersionScheme<P>, intervals: readonly VersionInterval<P>[]): VersionSet<P> {
  const sorted = intervals.filter((i) => nonEmpty(scheme, i.low, i.high)).sort((a, b) => compareLows(scheme, a.low, b.low));
  const out: VersionInterval<P>[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && joins(scheme, last.high, interval.low)) {
      out[out.length - 1] = { low: last.low, high: compareHighs(scheme, last.high, interval.high) >= 0 ? last.high : interval.high };
    } else {
      out.push(interval);
    }
  }
  return { scheme, intervals: out };
}

/** The set without one version (a `!=` constraint). */
export function excludeVersion<P>(set: VersionSet<P>, version: string, parsed: P): VersionSet<P> {
  const { scheme } = set;
  const out: VersionInterval<P>[] = [];
  for (const i of set.intervals) {
    const aboveLow =
      i.low === null ||
      scheme.compareParsed(parsed, i.low.parsed) > 0 ||
      (i.low.inclusive && scheme.compareParsed(parsed, i.low.parsed) === 0);
    const belowHigh =
      i.high === null ||
      scheme.compareParsed(parsed, i.high.parsed) < 0 ||
      (i.high.inclusive && scheme.compareParsed(parsed, i.high.parsed) === 0);
    if (!aboveLow || !belowHigh) {
      out.push(i);
      continue;
    }
    const point = { version, parsed, inclusive: false };
    out.push({ low: i.low, high: point }, { low: point, high: i.high });
  }
  return normalizeIntervals(scheme, out);
}

/** Whether the set holds the (parsed) version. */
export function setContains<P>(set: VersionSet<P>, parsed: P): boolean {
  const point = { version: '', parsed, inclusive: true };
  return set.intervals.some((i) => nonEmpty(set.scheme, maxLow(set.scheme, i.low, point), minHigh(set.scheme, i.high, point)));
}

function maxLow<P>(scheme: VersionScheme<P>, a: Bound<P> | null, b: Bound<P> | null): Bound<P> | null {
  return compareLows(scheme, a, b) >= 0 ? a : b;
}

function minHigh<P>(scheme: VersionScheme<P>, a: Bound<P> | null, b: Bound<P> | null): Bound<P> | null {
  return compareHighs(scheme, a, b) <= 0 ? a : b;
}

/**
 * The first common interval of two sets of one package, or null when they share no version. Both must use
 * the same scheme (one package has one ecosystem).
 */
export function intersectSets<P>(a: VersionSet<P>, b: VersionSet<P>): VersionInterval<P> | null {
  const scheme = a.scheme;
  let i = 0;
  let j = 0;
  while (i < a.intervals.length && j < b.intervals.length) {
    const x = a.intervals[i] as VersionInterval<P>;
    const y = b.intervals[j] as VersionInterval<P>;
    const low = maxLow(scheme, x.low, y.low);
    const high = minHigh(scheme, x.high, y.high);
    if (nonEmpty(scheme, low, high)) return { low, high };
    if (compareHighs(scheme, x.high, y.high) <= 0) i++;
    else j++;
  }
  return null;
}

/** `[1.0, 2.0)`, `(-∞, 3]`, `= 1.2.3`, for messages. */
export function describeInterval(interval: VersionInterval): string {
  const { low, high } = interval;
  if (low !== null && high !== null && low.inclusive && high.inclusive && low.version === high.version) return `= ${low.version}`;
  const left = low === null ? '(-∞' : `${low.inclusive ? '[' : '('}${low.version}`;
  const right = high === null ? '∞)' : `${high.version}${high.inclusive ? ']' : ')'}`;
  return `${left}, ${right}`;
}

export function describeSet(set: VersionSet): string {
  if (set.intervals.length === 1 && set.intervals[0]?.low === null && set.intervals[0]?.high === null) return 'all versions';
  return set.intervals.map(describeInterval).join(' ∪ ');
}

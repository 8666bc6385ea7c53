import { compareCodeUnits, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * RubyGems' Gem::Version, as every released RubyGems 3.x orders it. A version must match
 * `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?` (surrounding space allowed; blank is "0");
 * each "-" becomes ".pre."; the segments are the runs of digits (numbers) and of letters (strings), so
 * "1.0.a10" is [1, 0, "a", 10]. A version with a letter is a prerelease. Comparison drops trailing zeros
 * from the numeric head and from the tail, then compares segment by segment: numbers numerically,
 * strings by bytes, a string is lower than a number, a missing segment counts as 0.
 * The unreleased RubyGems main branch (2026) treats "1.0.0-beta.1" as equal to "1.0.0.beta.1"; released
 * RubyGems orders it after (".pre.beta" > ".beta"), and so does this file.
 */

export type RubyGemsVersion = readonly (bigint | string)[];

const PATTERN = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

function canonicalSegments(segments: (bigint | string)[]): (bigint | string)[] {
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const head = firstString === -1 ? segments : segments.slice(0, firstString);
  const tail = firstString === -1 ? [] : segments.slice(firstString);
  const dropZeros = (list: (bigint | string)[]): (bigint | string)[] => {
    let end = list.length;
    while (end > 0 && list[end - 1] === 0n) end--;
    return list.slice(0, end);
  };
  return [...dropZeros(head), ...dropZeros(tail)];
}

function parseRubyGems(version: string): RubyGemsVersion | null {
  const m = PATTERN.exec(version);
  if (!m) return null;
  const text = (m[1] ?? '0').replace(/-/g, '.pre.');
  // BigInt: a 30-digit segment keeps its value (Ruby's Integer is arbitrary-precision too).
  const segments = (text.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^\d/.test(s) ? BigInt(s) : s));
  return canonicalSegments(segments);
}

function compareSegments(a: RubyGemsVersion, b: RubyGemsVersion): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? 0n;
    const r = b[i] ?? 0n;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r === 'bigint') return -1;
    if (typeof l === 'bigint' && typeof r === 'string') return 1;
    return typeof l === 'bigint' ? (l < (r as bigint) ? -1 : 1) : compareCodeUnits(l, r as string);
  }
  return 0;
}

export const rubyGemsOrder: VersionOrder<RubyGemsVersion> = defineVersionOrder({
  scheme: 'Gem::Version',
  parse: parseRubyGems,
  compareParsed: compareSegments,
});

/** Parses a gem version into its canonical segments; null when Gem::Version would raise. */
export function parseRubyGemsVersion(version: string): RubyGemsVersion | null {
  return rubyGemsOrder.parse(version);
}

/** Orders two gem versions (-1, 0, 1); never throws: invalid strings sort first. */
export function compareRubyGems(a: string, b: string): number {
  return rubyGemsOrder.compare(a, b);
}

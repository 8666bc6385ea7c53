import { compareDigitRuns, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * Alpine (apk-tools 2.x, version.c) ordering, also used by Wolfi and Chainguard. Shape:
 * `digits{.digits}[letter]{_suffix[digits]}[-rN]`. Numbers compare numerically, except that a
 * component after a dot with leading zeros compares as a decimal fraction would (1.02 < 1.1; "0"s
 * count negatively); pre-release suffixes _alpha < _beta < _pre < _rc sort before the bare version,
 * post-release suffixes _cvs < _svn < _git < _hg < _p after it; -rN is the package revision.
 * apk compares any two strings with this tokenizer, valid or not, and so does `compareAlpine` (the
 * apk test suite relies on it: 1.0 < 1.0bc). `parse` still returns null for strings apk would reject,
 * so range evaluation can report them as unknown. apk 2.x has one quirk kept here: after a component
 * that is all zeros ("1.0"), a suffix at the very end is not seen as a pre-release, so 1.0_rc1 > 1.0
 * while 1.0_rc1-r0 < 1.0-r0; Alpine packages always carry -rN.
 */

const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;
const INVALID = -1;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

/**
 * A cursor over one version string, carrying apk's tokenizer state and the value of the token it read last:
 * a digit run `s[runStart, runEnd)` when `isRun` (compared in place, at any length, without a BigInt),
 * else the small number `small` (a letter's code, a suffix's rank, minus the count of leading zeros).
 */
interface Cursor {
  readonly s: string;
  pos: number;
  type: number;
  isRun: boolean;
  runStart: number;
  runEnd: number;
  small: number;
}

const cursor = (s: string): Cursor => ({ s, pos: 0, type: DIGIT, isRun: false, runStart: 0, runEnd: 0, small: 0 });

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const isLowerAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 97 && s.charCodeAt(i) <= 122;

function nextToken(c: Cursor): void {
  let n = INVALID;
  if (c.pos >= c.s.length) {
    n = END;
  } else if ((c.type === DIGIT || c.type === DIGIT_OR_ZERO) && isLowerAt(c.s, c.pos)) {
    n = LETTER;
  } else if (c.type === LETTER && isDigitAt(c.s, c.pos)) {
    n = DIGIT;
  } else if (c.type === SUFFIX && isDigitAt(c.s, c.pos)) {
    n = SUFFIX_NO;
  } else {
    const ch = c.s.charCodeAt(c.pos);
    if (ch === 46 /* . */) n = DIGIT_OR_ZERO;
    else if (ch === 95 /* _ */) n = SUFFIX;
    else if (ch === 45 /* - */ && c.s.charCodeAt(c.pos + 1) === 114 /* r */) {
      n = REVISION_NO;
      c.pos++;
    }
    c.pos++;
  }
  const allowedBackstep =
    (n === DIGIT_OR_ZERO && c.type === DIGIT) || (n === SUFFIX && c.type === SUFFIX_NO) || (n === DIGIT && c.type === LETTER);
  if (n < c.type && !allowedBackstep) n = INVALID;
  c.type = n;
}

function matchSuffix(s: string, pos: number, list: readonly string[]): number {
  return list.findIndex((suffix) => s.startsWith(suffix, pos));
}

/** apk's get_token: reads the value of the token at the cursor into it, then advances to the next token's type. */
function getToken(c: Cursor): void {
  c.isRun = false;
  c.small = 0;
  if (c.pos >= c.s.length) {
    c.type = END;
    return;
  }
  let i = c.pos;
  let nextType = INVALID;
  // Leading zeros after a dot count negatively, so 1.02 sorts below 1.1 (a fraction-like reading).
  const leadingZeros = c.type === DIGIT_OR_ZERO && c.s.charCodeAt(i) === 48;
  switch (leadingZeros ? -2 : c.type) {
    case -2:
      while (c.s.charCodeAt(i) === 48) i++;
      nextType = DIGIT;
      c.small = -(i - c.pos);
      break;
    case DIGIT_OR_ZERO:
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      c.isRun = true;
      c.runStart = i;
      while (isDigitAt(c.s, i)) i++;
      c.runEnd = i;
      break;
    case LETTER:
      c.small = c.s.charCodeAt(i++);
      break;
    case SUFFIX: {
      const pre = matchSuffix(c.s, i, PRE_SUFFIXES);
      if (pre !== -1) {
        c.small = pre - PRE_SUFFIXES.length;
        i += (PRE_SUFFIXES[pre] as string).length;
        break;
      }
      const post = matchSuffix(c.s, i, POST_SUFFIXES);
      if (post !== -1) {
        c.small = post;
        i += (POST_SUFFIXES[post] as string).length;
        break;
      }
      c.type = INVALID;
      c.small = -1;
      return;
    }
    default:
      c.type = INVALID;
      c.small = -1;
      return;
  }
  c.pos = i;
  if (c.pos >= c.s.length) c.type = END;
  else if (nextType !== INVALID) c.type = nextType;
  else nextToken(c);
}

/** A digit run against a small number (which may be negative): -1, 0 or 1, without parsing the run. */
function compareRunWithSmall(s: string, start: number, end: number, small: number): number {
  if (small < 0) return 1;
  let i = start;
  while (i < end && s.charCodeAt(i) === 48) i++;
  // Small values are letter codes and suffix ranks: a run of four or more significant digits is larger.
  if (end - i > 3) return 1;
  let value = 0;
  for (; i < end; i++) value = value * 10 + (s.charCodeAt(i) - 48);
  return value < small ? -1 : value > small ? 1 : 0;
}

function compareTokens(a: Cursor, b: Cursor): number {
  if (a.isRun && b.isRun) return compareDigitRuns(a.s, a.runStart, a.runEnd, b.s, b.runStart, b.runEnd);
  if (a.isRun) return compareRunWithSmall(a.s, a.runStart, a.runEnd, b.small);
  if (b.isRun) return -compareRunWithSmall(b.s, b.runStart, b.runEnd, a.small);
  return a.small < b.small ? -1 : a.small > b.small ? 1 : 0;
}

/** Whether the suffix at a SUFFIX cursor reads below zero (a pre-release, or no known suffix) — apk peeks so. */
function preReleaseAhead(c: Cursor): boolean {
  if (c.pos >= c.s.length) return false;
  return matchSuffix(c.s, c.pos, PRE_SUFFIXES) !== -1 || matchSuffix(c.s, c.pos, POST_SUFFIXES) === -1;
}

/** apk_version_compare: -1, 0 or 1 for any two strings. */
function apkCompare(a: string, b: string): number {
  const ca = cursor(a);
  const cb = cursor(b);
  let d = 0;
  while (ca.type === cb.type && ca.type !== END && ca.type !== INVALID && d === 0) {
    getToken(ca);
    getToken(cb);
    d = compareTokens(ca, cb);
  }
  if (d !== 0) return d;
  if (ca.type === cb.type) return 0;
  // Same leading tokens: the longer version is newer unless what follows is a pre-release suffix.
  if (ca.type === SUFFIX && preReleaseAhead(ca)) return -1;
  if (cb.type === SUFFIX && preReleaseAhead(cb)) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

/** apk_version_validate: the tokenizer reaches the end without an invalid token. */
export function isValidAlpineVersion(version: string): boolean {
  const c = cursor(version);
  while (c.type !== END && c.type !== INVALID) getToken(c);
  return c.type === END && version.length > 0;
}

export const alpineOrder: VersionOrder<string> = Object.freeze({
  ...defineVersionOrder<string>({
    scheme: 'apk',
    parse: (v) => (isValidAlpineVersion(v) ? v : null),
    compareParsed: apkCompare,
  }),
  // apk orders every pair of strings; keep its answer rather than the invalid-first convention.
  compare: apkCompare,
});

/** The version itself when apk accepts it, else null. */
export function parseAlpineVersion(version: string): string | null {
  return alpineOrder.parse(version);
}

/** Orders two Alpine versions (-1, 0, 1) exactly as apk does, for any strings; never throws. */
export function compareAlpine(a: string, b: string): number {
  return apkCompare(a, b);
}

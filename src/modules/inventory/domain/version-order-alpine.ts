import { defineVersionOrder, type VersionOrder } from './version-order.js';

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

/** A cursor over one version string, carrying apk's tokenizer state. */
interface Cursor {
  readonly s: string;
  pos: number;
  type: number;
}

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
    const ch = c.s[c.pos];
    if (ch === '.') n = DIGIT_OR_ZERO;
    else if (ch === '_') n = SUFFIX;
    else if (ch === '-' && c.s[c.pos + 1] === 'r') {
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

/** apk's get_token: the value of the token at the cursor, then advances to the next token's type. */
function getToken(c: Cursor): bigint {
  if (c.pos >= c.s.length) {
    c.type = END;
    return 0n;
  }
  // BigInt: a version number of any length keeps its value.
  let v = 0n;
  let i = c.pos;
  let nextType = INVALID;
  // Leading zeros after a dot count negatively, so 1.02 sorts below 1.1 (a fraction-like reading).
  const leadingZeros = c.type === DIGIT_OR_ZERO && c.s[i] === '0';
  switch (leadingZeros ? -2 : c.type) {
    case -2:
      while (c.s[i] === '0') i++;
      nextType = DIGIT;
      v = -BigInt(i - c.pos);
      break;
    case DIGIT_OR_ZERO:
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      while (isDigitAt(c.s, i)) v = v * 10n + BigInt(c.s.charCodeAt(i++) - 48);
      break;
    case LETTER:
      v = BigInt(c.s.charCodeAt(i++));
      break;
    case SUFFIX: {
      const pre = matchSuffix(c.s, i, PRE_SUFFIXES);
      if (pre !== -1) {
        v = BigInt(pre - PRE_SUFFIXES.length);
        i += (PRE_SUFFIXES[pre] as string).length;
        break;
      }
      const post = matchSuffix(c.s, i, POST_SUFFIXES);
      if (post !== -1) {
        v = BigInt(post);
        i += (POST_SUFFIXES[post] as string).length;
        break;
      }
      c.type = INVALID;
      return -1n;
    }
    default:
      c.type = INVALID;
      return -1n;
  }
  c.pos = i;
  if (c.pos >= c.s.length) c.type = END;
  else if (nextType !== INVALID) c.type = nextType;
  else nextToken(c);
  return v;
}

/** apk_version_compare: -1, 0 or 1 for any two strings. */
function apkCompare(a: string, b: string): number {
  const ca: Cursor = { s: a, pos: 0, type: DIGIT };
  const cb: Cursor = { s: b, pos: 0, type: DIGIT };
  let av = 0n;
  let bv = 0n;
  while (ca.type === cb.type && ca.type !== END && ca.type !== INVALID && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av !== bv) return av < bv ? -1 : 1;
  if (ca.type === cb.type) return 0;
  // Same leading tokens: the longer version is newer unless what follows is a pre-release suffix.
  if (ca.type === SUFFIX && getToken({ ...ca }) < 0n) return -1;
  if (cb.type === SUFFIX && getToken({ ...cb }) < 0n) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

/** apk_version_validate: the tokenizer reaches the end without an invalid token. */
export function isValidAlpineVersion(version: string): boolean {
  const c: Cursor = { s: version, pos: 0, type: DIGIT };
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

import { compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * FreeBSD ports and packages, as pkg(8) orders them (`pkg version -t`, pkg_version_cmp):
 * `PORTVERSION[_PORTREVISION][,PORTEPOCH]`, compared epoch first, then the port version, then the revision
 * ("0.0.1_1,3" > "0.0.1_2,2" > "0.0.1_1,2" > "0.0.1,2"). The port version is a list of components split at
 * anything but letters, digits, "+" and "*"; each component is a number, a letter and a patch number
 * ("10a1" is 10, a, 1), where
 * - a missing component is 0 ("10" = "10.0.0") and a component without a number sorts as -1 ("a" < "0");
 * - no letter sorts first ("10" < "10a" < "10b"); other words count by their first letter, in any case
 *   ("1.d2" = "1.dev2" = "1.Development2"); "pl" sorts before every letter, "alpha", "beta", "pre" and
 *   "rc" as a, b, p and r, "snap" as s, and a number directly followed by one of them starts a new
 *   component ("10alpha" = "10.a" < "10", but "10" < "10a");
 * - a letter without a patch number sorts before any patch number ("4a" < "4a0");
 * - "*" is the smallest component ("2.*" < "2pl1"), and "+" separates groups compared group by group
 *   ("1.0.0+2003.09.06" = "1.0+2003.09.06").
 * Numbers compare by value at any length (pkg stops at 2^63). `parse` refuses a "-" (pkg would read only
 * what follows it, as if the rest were a package name), white space, and a revision or epoch that is not
 * a number: such strings are not versions an advisory can be compared against.
 */

/** One component: number (kind -2 "*", -1 none, 0 digits), letter rank, patch number (kind -1 none). */
interface PortVersionPart {
  readonly nKind: number;
  readonly n: string;
  readonly letter: number;
  readonly plKind: number;
  readonly pl: string;
}

export interface FreeBsdVersion {
  readonly epoch: string;
  readonly revision: string;
  /** The port version's "+"-separated groups, each a list of components. */
  readonly groups: readonly (readonly PortVersionPart[])[];
}

const ZERO: PortVersionPart = { nKind: 0, n: '', letter: 0, plKind: 0, pl: '' };
const LETTER_BASE = 2;
// "pl" ranks with "no letter"; the others by the letter they stand for.
const STAGES: readonly (readonly [word: string, rank: number])[] = [
  ['pl', 0],
  ['snap', 18 + LETTER_BASE],
  ['alpha', 0 + LETTER_BASE],
  ['beta', 1 + LETTER_BASE],
  ['pre', 15 + LETTER_BASE],
  ['rc', 17 + LETTER_BASE],
];

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** The stage word at i (case-insensitive, not followed by a letter), or null. */
function stageAt(s: string, i: number): readonly [word: string, rank: number] | null {
  for (const stage of STAGES) {
    const end = i + stage[0].length;
    if (s.slice(i, end).toLowerCase() === stage[0] && !isLetter(s.charCodeAt(end))) return stage;
  }
  return null;
}

/** Reads the component at i; returns it and the position after it and its trailing separators. */
function componentAt(s: string, start: number): [PortVersionPart, number] {
  let i = start;
  let nKind = -1;
  let n = '';
  const first = s.charCodeAt(i);
  if (isDigit(first)) {
    const end = digitsEnd(s, i);
    nKind = 0;
    n = s.slice(i, end);
    i = end;
  } else if (first === 42 /* * */) {
    nKind = -2;
    while (i < s.length && s.charCodeAt(i) !== 43 /* + */) i++;
  }
  let letter = 0;
  let hasPatch = false;
  if (isLetter(s.charCodeAt(i))) {
    const stage = isLetter(s.charCodeAt(i + 1)) ? stageAt(s, i) : null;
    if (stage !== null && nKind === -1) {
      letter = stage[1];
      hasPatch = true;
      i += stage[0].length;
    } else if (stage === null) {
      letter = lower(s.charCodeAt(i)) - 97 + LETTER_BASE;
      hasPatch = true;
      while (isLetter(s.charCodeAt(i))) i++;
    }
    // A stage word right after a number is left for the next component: "10alpha" reads as "10.alpha".
  }
  let plKind = 0;
  let pl = '';
  if (hasPatch) {
    const end = digitsEnd(s, i);
    if (end === i) plKind = -1;
    pl = s.slice(i, end);
    i = end;
  }
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isDigit(c) || isLetter(c) || c === 43 || c === 42) break;
    i++;
  }
  return [{ nKind, n, letter, plKind, pl }, i];
}

function componentsOf(group: string): PortVersionPart[] {
  const out: PortVersionPart[] = [];
  for (let i = 0; i < group.length;) {
    const [component, next] = componentAt(group, i);
    out.push(component);
    i = next;
  }
  return out;
}

const VERSION = /^[^\s-]+$/;

function parseFreeBsd(version: string): FreeBsdVersion | null {
  if (!VERSION.test(version)) return null;
  // PORTREVISION after the last "_"; PORTEPOCH after the last "," that follows it.
  const underscore = version.lastIndexOf('_');
  const comma = version.lastIndexOf(',');
  const epochAt = comma > underscore ? comma : -1;
  const end = underscore !== -1 ? underscore : epochAt !== -1 ? epochAt : version.length;
  const revision = underscore === -1 ? '' : version.slice(underscore + 1, epochAt === -1 ? version.length : epochAt);
  const epoch = epochAt === -1 ? '' : version.slice(epochAt + 1);
  if (!/^\d*$/.test(revision) || !/^\d*$/.test(epoch) || end === 0) return null;
  return { epoch, revision, groups: version.slice(0, end).split('+').map(componentsOf) };
}

function compareComponent(a: PortVersionPart, b: PortVersionPart): number {
  return (
    a.nKind - b.nKind || compareDigitStrings(a.n, b.n) || a.letter - b.letter || a.plKind - b.plKind || compareDigitStrings(a.pl, b.pl)
  );
}

function compareGroups(a: FreeBsdVersion['groups'], b: FreeBsdVersion['groups']): number {
  for (let g = 0; g < Math.max(a.length, b.length); g++) {
    const x = a[g] ?? [];
    const y = b[g] ?? [];
    for (let k = 0; k < Math.max(x.length, y.length); k++) {
      const d = compareComponent(x[k] ?? ZERO, y[k] ?? ZERO);
      if (d !== 0) return d;
    }
  }
  return 0;
}

export const freeBsdOrder: VersionOrder<FreeBsdVersion> = defineVersionOrder({
  scheme: 'pkg_version_cmp (FreeBSD pkg)',
  parse: parseFreeBsd,
  compareParsed: (a, b) =>
    compareDigitStrings(a.epoch, b.epoch) || compareGroups(a.groups, b.groups) || compareDigitStrings(a.revision, b.revision),
});

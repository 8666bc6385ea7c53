import { compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * Packagist (Composer): Composer's `VersionParser::normalize` — a leading "v" and `+build` dropped, one to four
 * numbers padded to four, one modifier (`stable` = none, `a`/`alpha`, `b`/`beta`, `RC`, `p`/`pl`/`patch`, any
 * case) with its numbers, then `-dev` — and the normalised strings ordered as `version_compare` does: numbers
 * numerically (as digit strings, so any length), words `dev` < `alpha` < `beta` < `RC` < a number < `patch`.
 * When one side runs out, the other is newer if its next part is a number or `patch`, older if it is a word
 * below a number ("1.0RC1" < "1.0"). What Composer cannot normalise (branch names such as `dev-master`,
 * PEP 440 spellings such as `1.0.post1`) is not a version here: a range over it is "unknown", never a guess.
 */

export type PackagistVersion = readonly string[];

const RANK: Readonly<Record<string, number>> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, '#': 4, patch: 5, pl: 5, p: 5 };
const isNumber = (part: string): boolean => /^\d+$/.test(part);
const rank = (part: string): number => (isNumber(part) ? 4 : (RANK[part] ?? -6));

// Composer's VersionParser::normalize, classical form: up to four numbers, a modifier with its numbers, "-dev".
const COMPOSER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*))?([.-]?dev)?$/i;
const MODIFIER: Readonly<Record<string, string>> = {
  a: 'alpha',
  alpha: 'alpha',
  b: 'beta',
  beta: 'beta',
  rc: 'rc',
  p: 'patch',
  pl: 'patch',
  patch: 'patch',
};

function parsePackagist(version: string): PackagistVersion | null {
  const m = COMPOSER.exec(version.trim().replace(/\+[^\s+]*$/, ''));
  if (!m) return null;
  const numbers = [m[1], m[2], m[3], m[4]].map((n) => (n ?? '0').replace(/^0+(?=\d)/, ''));
  const modifier = m[5] === undefined ? undefined : MODIFIER[m[5].toLowerCase()];
  const modifierNumbers = (m[6] ?? '')
    .split(/[.-]/)
    .filter((n) => n !== '')
    .map((n) => n.replace(/^0+(?=\d)/, ''));
  return [...numbers, ...(modifier === undefined ? [] : [modifier, ...modifierNumbers]), ...(m[7] === undefined ? [] : ['dev'])];
}

function comparePart(a: string, b: string): number {
  if (isNumber(a) && isNumber(b)) return compareDigitStrings(a, b);
  return rank(a) - rank(b);
}

function comparePackagist(a: PackagistVersion, b: PackagistVersion): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = comparePart(a[i] as string, b[i] as string);
    if (d !== 0) return d;
  }
  if (a.length === b.length) return 0;
  const longer = a.length > b.length ? a : b;
  const next = longer[Math.min(a.length, b.length)] as string;
  const sign = isNumber(next) ? 1 : Math.sign(rank(next) - RANK['#']!);
  return a.length > b.length ? sign : -sign;
}

export const packagistOrder: VersionOrder<PackagistVersion> = defineVersionOrder({
  scheme: 'Composer',
  parse: parsePackagist,
  compareParsed: comparePackagist,
});

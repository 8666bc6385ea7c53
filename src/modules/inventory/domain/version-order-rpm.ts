import { compareCodeUnits, compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * RPM ordering (Red Hat, AlmaLinux, Rocky, SUSE, openSUSE, Mageia, Photon, openEuler, Azure Linux):
 * `[epoch:]version[-release]`, epochs numerically (missing = 0), then version and release by rpmvercmp:
 * alphanumeric runs are compared, separators only split them; digit runs numerically and above letter
 * runs; "~" sorts before everything (1.0~rc1 < 1.0); "^" sorts after the end of the string but before
 * any further run (1.0 < 1.0^git1 < 1.0.1). rpm only compares releases when both sides have one; that
 * rule is not a total order, so here a missing release sorts before any release.
 */

export interface RpmVersion {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | null;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isSeparator = (c: string | undefined): boolean => c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

/** rpmvercmp from rpm's lib/rpmvercmp.c, over strings. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(a[i]);
    const sameKind = numeric ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (sameKind(a[ei])) ei++;
    while (sameKind(b[ej])) ej++;
    // Different kinds: a number is newer than letters.
    if (ej === j) return numeric ? 1 : -1;
    const sa = a.slice(i, ei);
    const sb = b.slice(j, ej);
    const rc = numeric ? compareDigitStrings(sa, sb) : compareCodeUnits(sa, sb);
    if (rc !== 0) return rc;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function parseRpm(evr: string): RpmVersion | null {
  const text = evr.trim();
  if (text === '' || /\s/.test(text)) return null;
  const colon = text.indexOf(':');
  let epoch = '0';
  if (colon !== -1) {
    epoch = text.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return null;
  }
  const rest = text.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  const version = dash === -1 ? rest : rest.slice(0, dash);
  const release = dash === -1 ? null : rest.slice(dash + 1);
  if (version === '' || release === '') return null;
  return { epoch, version, release };
}

function compareRpmParsed(a: RpmVersion, b: RpmVersion): number {
  const e = compareDigitStrings(a.epoch, b.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === null || b.release === null) return a.release === b.release ? 0 : a.release === null ? -1 : 1;
  return rpmvercmp(a.release, b.release);
}

export const rpmOrder: VersionOrder<RpmVersion> = defineVersionOrder({
  scheme: 'rpmvercmp',
  parse: parseRpm,
  compareParsed: compareRpmParsed,
});

/** Splits `[epoch:]version[-release]`; null for empty parts, a non-numeric epoch or white space. */
export function parseRpmVersion(evr: string): RpmVersion | null {
  return rpmOrder.parse(evr);
}

/** Orders two RPM EVR strings (-1, 0, 1); never throws: invalid strings sort first. */
export function compareRpm(a: string, b: string): number {
  return rpmOrder.compare(a, b);
}

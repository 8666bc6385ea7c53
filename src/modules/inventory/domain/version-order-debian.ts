import { defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * Debian (and Ubuntu) package versions as dpkg orders them: `[epoch:]upstream[-revision]`. Epochs compare
 * numerically; upstream and revision by dpkg's verrevcmp: alternate non-digit and digit runs; in a
 * non-digit run letters sort before other characters and "~" before everything, even the end of the
 * string (so 1.0~rc1 < 1.0 and "~~" < "~" < ""); digit runs compare numerically. A missing revision
 * equals "0" (1.0 == 1.0-0).
 * `parse` refuses what dpkg refuses (empty parts, a bad epoch, spaces) and, stricter than dpkg (which only
 * warns), an upstream that does not start with a digit or characters outside Debian policy's sets:
 * such strings are not versions an advisory can be compared against.
 */

export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

function parseDebian(version: string): DebianVersion | null {
  const text = version.trim();
  if (text === '' || /\s/.test(text)) return null;
  const colon = text.indexOf(':');
  let epoch = 0;
  if (colon !== -1) {
    const e = text.slice(0, colon);
    if (!/^\d{1,9}$/.test(e)) return null;
    epoch = Number(e);
  }
  const rest = text.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  const upstream = dash === -1 ? rest : rest.slice(0, dash);
  const revision = dash === -1 ? '' : rest.slice(dash + 1);
  if (!UPSTREAM.test(upstream)) return null;
  if (dash !== -1 && revision !== '' && !REVISION.test(revision)) return null;
  return { epoch, upstream, revision };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** dpkg's order(): "~" < end of string < letters < everything else. */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg's verrevcmp, over UTF-16 code units (Debian versions are ASCII). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i));
      const bc = order(b.charCodeAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

export const debianOrder: VersionOrder<DebianVersion> = defineVersionOrder({
  scheme: 'dpkg',
  parse: parseDebian,
  compareParsed: (a, b) => a.epoch - b.epoch || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision),
});

/** Parses `[epoch:]upstream[-revision]`; null when dpkg would reject it or policy forbids it. */
export function parseDebianVersion(version: string): DebianVersion | null {
  return debianOrder.parse(version);
}

/** Orders two Debian versions (-1, 0, 1) as dpkg does; never throws: invalid strings sort first. */
export function compareDebian(a: string, b: string): number {
  return debianOrder.compare(a, b);
}

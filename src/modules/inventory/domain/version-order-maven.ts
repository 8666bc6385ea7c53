import { compareCodeUnits, compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * Maven's ComparableVersion (maven-artifact, as in Maven 3.8, whose ComparableVersionTest the tests follow). A version is a list of items: numbers, qualifier strings, and sub-lists opened by "-" or by a
 * digit/letter transition. Trailing "null" items (0, "", ga, final, empty lists) are dropped, so 1 == 1.0
 * == 1-0 == 1.0.0-ga. Known qualifiers order alpha < beta < milestone < rc = cr < snapshot < "" = ga =
 * final < sp; unknown qualifiers follow, lexically. "a1", "b1", "m1" (a letter directly followed by a
 * digit) are alpha-1, beta-1, milestone-1; "release" is an alias of "". Every string is a valid Maven version: `parse` never returns
 * null. Maven 3.9 later changed corner cases (".X" treated as "-X" for a string qualifier X, so
 * 2.0.a sorts before 2.0 there); ordinary release versions, which advisories use, order the same.
 */

export type MavenItem =
  | { readonly kind: 'int'; readonly digits: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly MavenItem[] };

export type MavenVersion = { readonly kind: 'list'; readonly items: readonly MavenItem[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(raw: string, followedByDigit: boolean): MavenItem {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  }
  return { kind: 'string', value: ALIASES[value] ?? value };
}

function parseItem(isDigit: boolean, buf: string): MavenItem {
  return isDigit ? { kind: 'int', digits: buf.replace(/^0+/, '') } : stringItem(buf, false);
}

function comparableQualifier(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function isNull(item: MavenItem): boolean {
  if (item.kind === 'int') return item.digits === '';
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

/** Drops trailing null items, stopping at the first non-null item that is not a list (as Maven does). */
function normalize(items: MavenItem[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const last = items[i] as MavenItem;
    if (isNull(last)) items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

const ZERO: MavenItem = { kind: 'int', digits: '' };

function parseMaven(version: string): MavenVersion {
  const text = version.toLowerCase();
  const root: MavenItem[] = [];
  const stack: MavenItem[][] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const next: MavenItem[] = [];
    list.push({ kind: 'list', items: next });
    stack.push(next);
    list = next;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '.' || c === '-') {
      list.push(i === start ? ZERO : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.push(stringItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.push(parseItem(isDigit, text.slice(start)));
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i] as MavenItem[]);
  return { kind: 'list', items: root };
}

/** Compares an item with a missing one (the shorter list's end), as each Item.compareTo(null) does. */
function compareWithNothing(item: MavenItem): number {
  if (item.kind === 'int') return item.digits === '' ? 0 : 1;
  if (item.kind === 'string') return compareCodeUnits(comparableQualifier(item.value), RELEASE_INDEX);
  // The whole list, not just its first item (MNG-6964: otherwise 1-0.alpha == 1 while 1-0.alpha < 1-0.beta).
  for (const inner of item.items) {
    const result = compareWithNothing(inner);
    if (result !== 0) return result;
  }
  return 0;
}

function compareItems(a: MavenItem, b: MavenItem): number {
  switch (a.kind) {
    case 'int':
      return b.kind === 'int' ? compareDigitStrings(a.digits, b.digits) : 1;
    case 'string':
      if (b.kind === 'string') return compareCodeUnits(comparableQualifier(a.value), comparableQualifier(b.value));
      return -1;
    case 'list': {
      if (b.kind === 'int') return -1;
      if (b.kind === 'string') return 1;
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i];
        const r = b.items[i];
        const result =
          l === undefined ? (r === undefined ? 0 : -compareWithNothing(r)) : r === undefined ? compareWithNothing(l) : compareItems(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

export const mavenOrder: VersionOrder<MavenVersion> = defineVersionOrder({
  scheme: 'Maven ComparableVersion',
  parse: (v) => (v.trim() === '' ? null : parseMaven(v)),
  compareParsed: compareItems,
});

/** Parses a Maven version into ComparableVersion items; null only for an empty string. */
export function parseMavenVersion(version: string): MavenVersion | null {
  return mavenOrder.parse(version);
}

/** Orders two Maven versions (-1, 0, 1) by ComparableVersion rules; never throws. */
export function compareMaven(a: string, b: string): number {
  return mavenOrder.compare(a, b);
}

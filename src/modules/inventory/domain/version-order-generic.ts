import { defineVersionOrder, type VersionOrder } from './version-order.js';
import { rpmvercmp } from './version-order-rpm.js';

/**
 * The fallback for ecosystems without a known rule (Packagist, Hex, Pub, CRAN, …): case-insensitive,
 * a leading "v" dropped, then runs of digits (numerically) and letters compared in turn, punctuation only
 * separating them, "~" before everything — rpmvercmp's scheme, which agrees with most real-world
 * schemes on ordinary release numbers. It is a guess: `exact` is false and matches that rely on it are
 * reported with low confidence. A string without any digit is not treated as a version.
 */

export const genericOrder: VersionOrder<string> = defineVersionOrder({
  scheme: 'generic (guessed)',
  exact: false,
  parse: (v) => {
    const text = v
      .trim()
      .toLowerCase()
      .replace(/^v(?=\d)/, '');
    return /\d/.test(text) && !/\s/.test(text) ? text : null;
  },
  compareParsed: rpmvercmp,
});

/** Orders two versions of an unknown scheme (-1, 0, 1); never throws; a guess (see above). */
export function compareGeneric(a: string, b: string): number {
  return genericOrder.compare(a, b);
}

import { compareDigitLists, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * CRAN and Bioconductor: R's `package_version` — at least two numbers separated by "." or "-", compared as
 * lists of numbers ("0.01" = "0.1", "1.0" < "1.0.0", "0.1-2" < "0.2-2"), numbers of any length.
 */
export const cranOrder: VersionOrder<readonly string[]> = defineVersionOrder({
  scheme: 'R package_version',
  parse: (v) => (/^\d+([.-]\d+)+$/.test(v.trim()) ? v.trim().split(/[.-]/) : null),
  compareParsed: compareDigitLists,
});

import { compareDigitLists, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * Hackage: the Package Versioning Policy's `Data.Version` — one or more numbers separated by ".", ordered as
 * lists ("1.0" < "1.0.0" < "1.0.1"), numbers of any length. Tags (deprecated in Cabal) are not versions.
 */
export const hackageOrder: VersionOrder<readonly string[]> = defineVersionOrder({
  scheme: 'PVP (Data.Version)',
  parse: (v) => (/^\d+(\.\d+)*$/.test(v.trim()) ? v.trim().split('.') : null),
  compareParsed: compareDigitLists,
});

import { defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * The order of an ecosystem that defines none here (Android, Linux, OSS-Fuzz, FreeBSD, …): no string is a
 * version, so every range over it evaluates to "unknown", never to a guessed match. Only a version an
 * advisory lists verbatim (`affected[].versions`) matches, by string equality.
 */
export const unknownOrder: VersionOrder<never> = defineVersionOrder<never>({
  scheme: 'unknown',
  exact: false,
  parse: () => null,
  compareParsed: () => 0,
});

import { verrevcmp } from './version-order-debian.js';
import { defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * opam (OpamVersionCompare, from the Dose library): Debian's order without the epoch. A version is split at
 * its last "-" into an upstream part and a revision, compared in that order, each by dpkg's verrevcmp —
 * alternating non-digit and digit runs, letters before other characters, "~" before everything, even the
 * end ("1.0~beta" < "1.0" < "1.0-test" < "1.0.1"), digit runs by value at any length ("0.1.0" = "0.01.0").
 * `parse` accepts what opam's `OpamPackage.Version.of_string` accepts: a non-empty string of letters,
 * digits and `-_+.~`.
 */

export interface OpamVersion {
  readonly upstream: string;
  readonly revision: string;
}

const OPAM_VERSION = /^[A-Za-z0-9\-_+.~]+$/;

function parseOpam(version: string): OpamVersion | null {
  if (!OPAM_VERSION.test(version)) return null;
  const dash = version.lastIndexOf('-');
  return dash === -1 ? { upstream: version, revision: '' } : { upstream: version.slice(0, dash), revision: version.slice(dash + 1) };
}

export const opamOrder: VersionOrder<OpamVersion> = defineVersionOrder({
  scheme: 'opam (OpamVersionCompare)',
  parse: parseOpam,
  compareParsed: (a, b) => verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision),
});

import { defineVersionOrder, type VersionOrder } from './version-order.js';
import { compareIdentifierLists, compareSemantic, semverLikeOrder, type SemanticVersion } from './version-order-semver.js';

/**
 * Pub (Dart's pub_semver): SemVer 2.0 precedence, except that build metadata orders too — a version with a
 * build is newer than the same version without ("1.0.0" < "1.0.0+1"), and builds compare identifier by
 * identifier like prereleases ("+1" < "+2" < "+a"). Read SemVer-like, as OSV's tooling does.
 */

export interface PubVersion {
  readonly semantic: SemanticVersion;
  readonly build: readonly string[];
}

export const pubOrder: VersionOrder<PubVersion> = defineVersionOrder({
  scheme: 'pub_semver',
  parse: (v) => {
    const semantic = semverLikeOrder.parse(v);
    if (semantic === null) return null;
    const text = v.trim();
    const plus = text.indexOf('+');
    return { semantic, build: plus === -1 ? [] : text.slice(plus + 1).split('.') };
  },
  compareParsed: (a, b) =>
    compareSemantic(a.semantic, b.semantic) ||
    (a.build.length === 0 || b.build.length === 0 ? a.build.length - b.build.length : compareIdentifierLists(a.build, b.build)),
});

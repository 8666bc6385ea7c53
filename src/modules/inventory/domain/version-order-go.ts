import { defineVersionOrder, type VersionOrder } from './version-order.js';
import { compareSemantic, parseCrates, type SemanticVersion } from './version-order-semver.js';

/**
 * Go module versions, as golang.org/x/mod/semver orders them: SemVer 2.0 with a "v" prefix, where the
 * shorthands "v1" and "v1.2" mean v1.0.0 and v1.2.0, and build metadata (`+incompatible`) is ignored.
 * OSV's Go ecosystem writes versions without the "v" ("1.6.0"), SBOM purls with it, so both are accepted.
 * Pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are ordinary SemVer prereleases and sort as Go
 * sorts them: after the tagged version they are based on, before the next release.
 */

const SHORTHAND = /^(\d+)(?:\.(\d+))?$/;

function parseGo(version: string): SemanticVersion | null {
  const bare = version.startsWith('v') ? version.slice(1) : version;
  // Shorthands may not carry a prerelease or build suffix ("v1.2-pre" is invalid in Go).
  const short = SHORTHAND.exec(bare);
  const full = short ? `${short[1]}.${short[2] ?? '0'}.0` : bare;
  return parseCrates(full);
}

export const goOrder: VersionOrder<SemanticVersion> = defineVersionOrder({
  scheme: 'Go module SemVer',
  parse: parseGo,
  compareParsed: compareSemantic,
});

/** Parses a Go module version, with or without the "v"; null when invalid. */
export function parseGoVersion(version: string): SemanticVersion | null {
  return goOrder.parse(version);
}

/** Orders two Go versions (-1, 0, 1); never throws: invalid strings sort first (as Go's semver does). */
export function compareGo(a: string, b: string): number {
  return goOrder.compare(a, b);
}

// The three pseudo-version forms of golang.org/x/mod/module: vX.0.0-, vX.Y.Z-pre.0., vX.Y.(Z+1)-0.
const PSEUDO = /^v?\d+\.(?:0\.0-|\d+\.\d+-(?:[^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Whether a version is a Go pseudo-version (a commit, not a tag). */
export function isGoPseudoVersion(version: string): boolean {
  return PSEUDO.test(version);
}

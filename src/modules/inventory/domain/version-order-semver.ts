import { SemVer } from 'semver';
import { defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * SemVer 2.0 precedence (semver.org §11) for npm and crates.io, by the `semver` package. Build metadata
 * is ignored, as §10 says: `1.0.0+a` and `1.0.0+b` are equal.
 */

function parseWith(version: string, strict: boolean): SemVer | null {
  // crates.io (Cargo's `semver` crate) rejects a leading "v" or "=" and surrounding space; npm's
  // registry accepts what node-semver does.
  if (strict && !/^\d/.test(version)) return null;
  if (strict && version.trim() !== version) return null;
  try {
    return new SemVer(version, { loose: false });
  } catch {
    // Malformed, or a numeric part beyond Number.MAX_SAFE_INTEGER, which node-semver refuses.
    return null;
  }
}

const compareSemVer = (a: SemVer, b: SemVer): number => a.compare(b);

/** npm: node-semver's parser (a leading "v" or "=" is tolerated), SemVer 2.0 precedence. */
export const npmOrder: VersionOrder<SemVer> = defineVersionOrder({
  scheme: 'SemVer 2.0 (npm)',
  parse: (v) => parseWith(v, false),
  compareParsed: compareSemVer,
});

/** crates.io: strict SemVer 2.0 (no prefix), SemVer 2.0 precedence. */
export const cratesOrder: VersionOrder<SemVer> = defineVersionOrder({
  scheme: 'SemVer 2.0 (crates.io)',
  parse: (v) => parseWith(v, true),
  compareParsed: compareSemVer,
});

/** Parses an npm version; null when it is not SemVer. */
export function parseNpm(version: string): SemVer | null {
  return npmOrder.parse(version);
}

/** Orders two npm versions (-1, 0, 1); never throws: invalid strings sort first (see VersionOrder). */
export function compareNpm(a: string, b: string): number {
  return npmOrder.compare(a, b);
}

/** Parses a crates.io version; null when it is not strict SemVer. */
export function parseCrates(version: string): SemVer | null {
  return cratesOrder.parse(version);
}

/** Orders two crates.io versions (-1, 0, 1); never throws: invalid strings sort first. */
export function compareCrates(a: string, b: string): number {
  return cratesOrder.compare(a, b);
}

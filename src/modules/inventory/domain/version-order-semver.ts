import { compareCodeUnits, compareDigitStrings, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * SemVer 2.0 precedence (semver.org §11), with numbers of any length compared as digit strings (node-semver
 * refuses numbers beyond 2^53, so a 30-digit version was "not a version" there). Build metadata is ignored,
 * as §10 says: `1.0.0+a` and `1.0.0+b` are equal.
 *
 * Three readings share the precedence: strict (crates.io: Cargo's `semver` crate), npm (node-semver: a
 * leading "v" or "=" and surrounding space tolerated), and SemVer-like (OSV's own reading for ecosystems
 * whose tags are "SemVer-ish": a leading "v", one to any number of numeric components, a missing one is 0).
 */

export interface SemanticVersion {
  /** Numeric components without leading zeros ("0" for zero). */
  readonly numbers: readonly string[];
  /** Prerelease identifiers; empty for a release. */
  readonly pre: readonly string[];
}

const IDENT = '[0-9A-Za-z-]+';
const STRICT = new RegExp(
  `^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`,
);
const LIKE = new RegExp(`^(\\d+(?:\\.\\d+)*)(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?$`);

const stripZeros = (digits: string): string => digits.replace(/^0+(?=\d)/, '');

function parseStrict(version: string): SemanticVersion | null {
  const m = STRICT.exec(version);
  if (!m) return null;
  const pre = m[4] === undefined ? [] : m[4].split('.');
  // §9: numeric identifiers must not have leading zeros.
  if (pre.some((p) => /^0\d+$/.test(p))) return null;
  return { numbers: [m[1] as string, m[2] as string, m[3] as string], pre };
}

function parseLike(version: string): SemanticVersion | null {
  const m = LIKE.exec(version.trim().replace(/^v/i, ''));
  if (!m) return null;
  return { numbers: (m[1] as string).split('.').map(stripZeros), pre: m[2] === undefined ? [] : m[2].split('.') };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigitStrings(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareCodeUnits(a, b);
}

/** SemVer precedence: numbers (a missing one is 0), then a prerelease before its release, identifier by identifier. */
export function compareSemantic(a: SemanticVersion, b: SemanticVersion): number {
  for (let i = 0; i < Math.max(a.numbers.length, b.numbers.length); i++) {
    const d = compareDigitStrings(a.numbers[i] ?? '0', b.numbers[i] ?? '0');
    if (d !== 0) return d;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  return compareIdentifierLists(a.pre, b.pre);
}

/** SemVer §11.4: identifier by identifier (numbers numerically, below words), a shorter list lower when a prefix. */
export function compareIdentifierLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = compareIdentifiers(a[i] as string, b[i] as string);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** npm: node-semver's strict parser (a leading "v" or "=" and surrounding space tolerated), SemVer 2.0 precedence. */
export const npmOrder: VersionOrder<SemanticVersion> = defineVersionOrder({
  scheme: 'SemVer 2.0 (npm)',
  parse: (v) => parseStrict(v.trim().replace(/^[=v]+/, '')),
  compareParsed: compareSemantic,
});

/** crates.io: strict SemVer 2.0 (no prefix, no space), SemVer 2.0 precedence. */
export const cratesOrder: VersionOrder<SemanticVersion> = defineVersionOrder({
  scheme: 'SemVer 2.0 (crates.io)',
  parse: parseStrict,
  compareParsed: compareSemantic,
});

/**
 * SemVer-like, as OSV's tooling reads the tags of Hex, SwiftURL, GitHub Actions, Bitnami, ConanCenter, GHC,
 * Julia, Docker Hardened Images and VSCode: "v1.2", "1.2.3.4" and "1.2.3-rc.1" are versions.
 */
export const semverLikeOrder: VersionOrder<SemanticVersion> = defineVersionOrder({
  scheme: 'SemVer-like',
  parse: parseLike,
  compareParsed: compareSemantic,
});

/** Parses an npm version; null when it is not SemVer. */
export function parseNpm(version: string): SemanticVersion | null {
  return npmOrder.parse(version);
}

/** Orders two npm versions (-1, 0, 1); never throws: invalid strings sort first (see VersionOrder). */
export function compareNpm(a: string, b: string): number {
  return npmOrder.compare(a, b);
}

/** Parses a crates.io version; null when it is not strict SemVer. */
export function parseCrates(version: string): SemanticVersion | null {
  return cratesOrder.parse(version);
}

/** Orders two crates.io versions (-1, 0, 1); never throws: invalid strings sort first. */
export function compareCrates(a: string, b: string): number {
  return cratesOrder.compare(a, b);
}

import { compareCodeUnits, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * PEP 440 ordering for PyPI, read with the specification's own grammar (PEP 440, Appendix B: surrounding
 * white space ignored, case-insensitive, "v" prefix, alternate spellings such as "1.0-1" = "1.0.post1",
 * "c"/"pre"/"preview" = "rc"), every number a BigInt so that "1.20220404083012001" < "1.20220404083012002".
 * The comparison key is packaging's `_cmpkey`: epoch, release without trailing zeros, pre (a < b < rc; a
 * dev-only release sorts before every pre), post, dev, then the local label (no label < any label; numeric
 * parts > alphanumeric ones).
 */

type LocalPart = bigint | string;

export interface PypiVersion {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  /** [phase rank (a=0, b=1, rc=2), number]; phase -1 = a dev-only release, 3 = no prerelease. */
  readonly pre: readonly [bigint, bigint];
  /** -1 when there is no post-release. */
  readonly post: bigint;
  /** null when there is no dev release (it then sorts after every dev release). */
  readonly dev: bigint | null;
  readonly local: readonly LocalPart[] | null;
}

const PEP440 = new RegExp(
  '^v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)' +
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?' +
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' +
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PHASE: Readonly<Record<string, bigint>> = { a: 0n, alpha: 0n, b: 1n, beta: 1n, c: 2n, rc: 2n, pre: 2n, preview: 2n };

function parsePypi(version: string): PypiVersion | null {
  const m = PEP440.exec(version.trim());
  if (!m) return null;
  const release = (m[2] as string).split('.').map((n) => BigInt(n));
  while (release.length > 1 && release[release.length - 1] === 0n) release.pop();
  const post = m[5] !== undefined ? BigInt(m[5]) : m[6] !== undefined ? BigInt(m[7] ?? '0') : null;
  const dev = m[8] !== undefined ? BigInt(m[9] ?? '0') : null;
  const pre: [bigint, bigint] =
    m[3] !== undefined ? [PHASE[m[3].toLowerCase()] ?? 0n, BigInt(m[4] ?? '0')] : post === null && dev !== null ? [-1n, 0n] : [3n, 0n];
  const local = m[10] === undefined ? null : m[10].split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? BigInt(p) : p.toLowerCase()));
  return { epoch: BigInt(m[1] ?? '0'), release, pre, post: post ?? -1n, dev, local };
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function compareReleases(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = cmp(a[i] ?? 0n, b[i] ?? 0n);
    if (d !== 0) return d;
  }
  return 0;
}

function compareLocal(a: PypiVersion['local'], b: PypiVersion['local']): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as LocalPart;
    const y = b[i] as LocalPart;
    if (x === y) continue;
    if (typeof x === 'bigint' && typeof y === 'bigint') return cmp(x, y);
    if (typeof x === 'bigint') return 1;
    if (typeof y === 'bigint') return -1;
    return compareCodeUnits(x, y);
  }
  return a.length - b.length;
}

function comparePypiKeys(a: PypiVersion, b: PypiVersion): number {
  return (
    cmp(a.epoch, b.epoch) ||
    compareReleases(a.release, b.release) ||
    compareReleases(a.pre, b.pre) ||
    cmp(a.post, b.post) ||
    (a.dev === b.dev ? 0 : a.dev === null ? 1 : b.dev === null ? -1 : cmp(a.dev, b.dev)) ||
    compareLocal(a.local, b.local)
  );
}

export const pypiOrder: VersionOrder<PypiVersion> = defineVersionOrder({
  scheme: 'PEP 440',
  parse: parsePypi,
  compareParsed: comparePypiKeys,
});

/** Parses a PEP 440 version into its comparison key; null when it is not PEP 440 (e.g. "0.7.10p1"). */
export function parsePypiVersion(version: string): PypiVersion | null {
  return pypiOrder.parse(version);
}

/** Orders two PyPI versions (-1, 0, 1) by PEP 440; never throws: invalid strings sort first. */
export function comparePypi(a: string, b: string): number {
  return pypiOrder.compare(a, b);
}

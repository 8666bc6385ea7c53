import { explain, type Pep440Version } from '@renovatebot/pep440';
import { compareCodeUnits, defineVersionOrder, type VersionOrder } from './version-order.js';

/**
 * PEP 440 ordering for PyPI. `@renovatebot/pep440` parses and normalizes (1.0-1 is 1.0.post1, "v1.0" is
 * 1.0); the comparison key below is PEP 440's own (packaging's `_cmpkey`), built once per parse so that
 * compiled ranges do not re-parse on every comparison:
 * epoch, release without trailing zeros, pre (a < b < rc; a dev-only release sorts before every pre),
 * post, dev, then the local label (no label < any label; numeric parts > alphanumeric ones).
 */

export interface PypiVersion {
  readonly epoch: number;
  readonly release: readonly number[];
  /** [phase rank (a=0, b=1, rc=2), number]; phase -1 = a dev-only release, 3 = no prerelease. */
  readonly pre: readonly [number, number];
  /** -1 when there is no post-release. */
  readonly post: number;
  /** Infinity when there is no dev release. */
  readonly dev: number;
  readonly local: readonly (string | number)[] | null;
}

const PHASE: Record<string, number> = { a: 0, b: 1, rc: 2 };

function toKey(v: Pep440Version): PypiVersion {
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const pre = v.pre as unknown as readonly [string, number] | null;
  const post = v.post as unknown as number | null;
  const dev = v.dev as unknown as number | null;
  const preKey: [number, number] = pre !== null ? [PHASE[pre[0]] ?? 0, pre[1]] : post === null && dev !== null ? [-1, 0] : [3, 0];
  const local = v.local === null ? null : v.local.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p.toLowerCase()));
  return { epoch: v.epoch, release, pre: preKey, post: post ?? -1, dev: dev ?? Infinity, local };
}

function parsePypi(version: string): PypiVersion | null {
  try {
    const v = explain(version);
    return v === null ? null : toKey(v);
  } catch {
    return null;
  }
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function compareLocal(a: PypiVersion['local'], b: PypiVersion['local']): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return compareCodeUnits(x, y);
  }
  return a.length - b.length;
}

function comparePypiKeys(a: PypiVersion, b: PypiVersion): number {
  return (
    a.epoch - b.epoch ||
    compareNumbers(a.release, b.release) ||
    compareNumbers(a.pre, b.pre) ||
    a.post - b.post ||
    (a.dev === b.dev ? 0 : a.dev < b.dev ? -1 : 1) ||
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

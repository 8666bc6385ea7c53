import { compare as pepCompare, eq as pepEq, explain } from '@renovatebot/pep440';
import semver from 'semver';

/**
 * A deliberately plain OSV evaluator for end-to-end tests, written apart from the domain code: the OSV
 * schema's evaluation algorithm applied literally, with node-semver (Go, crates.io) and PEP 440 (PyPI)
 * comparisons called directly. Only what the PyPI, Go and crates.io corpora use: SEMVER and ECOSYSTEM
 * ranges, versions[], withdrawn. GIT ranges are ignored (the probes carry no commit).
 */

interface Event {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}
interface Affected {
  package?: { ecosystem: string; name: string };
  ranges?: { type: string; events: Event[] }[];
  versions?: string[];
}
export interface ReferenceRecord {
  id: string;
  withdrawn?: string;
  aliases?: string[];
  affected?: Affected[];
}

export type Ecosystem = 'PyPI' | 'Go' | 'crates.io';

/** Package identity as each registry treats names. */
export function referenceName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (ecosystem === 'crates.io') return name.toLowerCase().replace(/-/g, '_');
  return name;
}

interface Comparator {
  valid(version: string): boolean;
  cmp(a: string, b: string): number;
  same(a: string, b: string): boolean;
}

const bare = (v: string): string => v.replace(/^v/, '');

// PEP 440 parsing is the slow part of a large reference run; the answer for a string never changes.
const pepValid = new Map<string, boolean>();
const isPep440 = (v: string): boolean => {
  let ok = pepValid.get(v);
  if (ok === undefined) pepValid.set(v, (ok = explain(v) !== null));
  return ok;
};

const COMPARATORS: Record<Ecosystem, Comparator> = {
  PyPI: { valid: isPep440, cmp: (a, b) => pepCompare(a, b), same: (a, b) => a === b || (isPep440(a) && isPep440(b) && pepEq(a, b)) },
  Go: {
    valid: (v) => semver.valid(bare(v)) !== null,
    cmp: (a, b) => semver.compare(bare(a), bare(b)),
    same: (a, b) => semver.valid(bare(a)) !== null && semver.valid(bare(b)) !== null && semver.eq(bare(a), bare(b)),
  },
  'crates.io': {
    valid: (v) => semver.valid(v) !== null,
    cmp: (a, b) => semver.compare(a, b),
    same: (a, b) => a === b || (semver.valid(a) !== null && semver.valid(b) !== null && semver.eq(a, b)),
  },
};

/** Whether every SEMVER/ECOSYSTEM bound of the entry is a valid version of the ecosystem. */
export function boundsValid(ecosystem: Ecosystem, entry: Affected): boolean {
  const c = COMPARATORS[ecosystem];
  return (entry.ranges ?? [])
    .filter((r) => r.type !== 'GIT')
    .every((r) => r.events.every((e) => Object.values(e).every((v) => v === '0' || v === '*' || c.valid(v as string))));
}

function inRange(c: Comparator, events: readonly Event[], version: string): boolean {
  const limits = events.flatMap((e) => (e.limit === undefined ? [] : [e.limit]));
  if (limits.length > 0 && !limits.includes('*') && !limits.some((l) => c.cmp(version, l) < 0)) return false;
  const points = events
    .filter((e) => e.limit === undefined)
    .map((e) => ({ e, at: (e.introduced ?? e.fixed ?? e.last_affected) as string }))
    .sort((x, y) => {
      if (x.at === '0' || y.at === '0') return x.at === y.at ? 0 : x.at === '0' ? -1 : 1;
      return c.cmp(x.at, y.at) || (x.e.introduced !== undefined ? -1 : 0) - (y.e.introduced !== undefined ? -1 : 0);
    });
  let affected = false;
  for (const { e, at } of points) {
    if (e.introduced !== undefined && (at === '0' || c.cmp(version, at) >= 0)) affected = true;
    else if (e.fixed !== undefined && c.cmp(version, at) >= 0) affected = false;
    else if (e.last_affected !== undefined && c.cmp(version, at) > 0) affected = false;
  }
  return affected;
}

function entryAffects(c: Comparator, entry: Affected, version: string): boolean {
  if ((entry.versions ?? []).some((v) => c.same(v, version))) return true;
  // A version the ecosystem does not accept is in no range (the product answers "unknown" for it).
  if (!c.valid(version)) return false;
  return (entry.ranges ?? []).filter((r) => r.type !== 'GIT').some((r) => inRange(c, r.events, version));
}

/** The advisory's verdict for one version of one package: affected with its fixed versions, or not. */
export function referenceVerdict(
  record: ReferenceRecord,
  ecosystem: Ecosystem,
  name: string,
  version: string,
): { affected: boolean; fixed: string[] } {
  if (record.withdrawn !== undefined) return { affected: false, fixed: [] };
  const c = COMPARATORS[ecosystem];
  let affected = false;
  const fixed = new Set<string>();
  for (const entry of record.affected ?? []) {
    if (entry.package?.ecosystem !== ecosystem || referenceName(ecosystem, entry.package.name) !== referenceName(ecosystem, name)) continue;
    if (!entryAffects(c, entry, version)) continue;
    affected = true;
    for (const r of entry.ranges ?? []) {
      if (r.type === 'GIT') continue;
      for (const e of r.events) {
        if (e.fixed !== undefined && c.valid(version) && c.cmp(e.fixed, version) > 0 && !entryAffects(c, entry, e.fixed))
          fixed.add(e.fixed);
      }
    }
  }
  return { affected, fixed: [...fixed].sort((a, b) => c.cmp(a, b)) };
}

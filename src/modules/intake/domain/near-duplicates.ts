import { cweFamilies } from './cwe-families.js';
import type { CodeLocation, Finding } from './finding.js';
import { estimateJaccard, MINHASH_SEED, MINHASH_SIZE, minHashSignature } from './minhash.js';
import { shingles, textTokens } from './text-tokens.js';

/**
 * Identity layer 3: findings that are probably the same vulnerability although neither an id nor the
 * fingerprint says so — two AI scanners describing one bug in their own words, one pointing at the function
 * and the other at a line in it. Candidates are proposed to a coordinator with a score and the reason; they
 * are never merged here.
 *
 * Only findings on a common target whose CWE families meet (a finding without a CWE meets every family) are
 * compared. Within such a block, pairs are found by locality-sensitive hashing of MinHash signatures of their
 * text, and by sharing a file or function, so that large blocks are not compared pair by pair.
 */

export type NearDuplicateSubject = Pick<Finding, 'targets' | 'cwes' | 'locations' | 'title' | 'description'> & {
  readonly key: string;
  /** The vulnerability ids the finding names; two findings naming only different ids are never proposed. */
  readonly aliases?: Finding['aliases'];
  /** The identity cluster the finding is in; pairs already in one cluster are not proposed. */
  readonly clusterId?: string | null;
};

export interface NearDuplicateCandidate {
  readonly a: string;
  readonly b: string;
  /** 0..1: text similarity, averaged with location similarity when both findings have a location. */
  readonly score: number;
  readonly textSimilarity: number;
  readonly locationSimilarity: number | null;
  readonly target: string;
  readonly reason: string;
}

export interface NearDuplicateOptions {
  /** Least score proposed. Default 0.6. */
  readonly threshold?: number;
  /** MinHash size; must be a multiple of `bandRows`. Default 64. */
  readonly signatureSize?: number;
  /** Rows per LSH band. Default 4 (16 bands of 64): pairs of text similarity 0.5 meet with p ≈ 0.64, of 0.7 with p ≈ 0.99. */
  readonly bandRows?: number;
  /** Default {@link MINHASH_SEED}; stored signatures stay comparable only under one seed. */
  readonly seed?: number;
  /**
   * Only pairs with at least one of these subject keys are compared (default: every pair). The others still
   * count in their buckets' sizes, so the pairs proposed are exactly those of the full run that involve them:
   * a batch of new findings against the indexed ones that share a bucket with it, without comparing those
   * with each other again (up to 2,016 pairs per full bucket of 64, against 63 per new finding in it).
   */
  readonly involving?: ReadonlySet<string>;
}

interface Prepared {
  /** Position in the input, which identifies a pair across blocks. */
  readonly index: number;
  /** Its vulnerability ids; empty when it names none. */
  readonly ids: ReadonlySet<string>;
  readonly subject: NearDuplicateSubject;
  readonly families: Set<string>;
  readonly location: CodeLocation | undefined;
  readonly signature: Uint32Array;
}

/**
 * The MinHash signatures of subjects computed under the default size and seed, by subject: a job asks for a
 * batch's buckets ({@link nearDuplicateBuckets}) and then compares the same subjects ({@link findNearDuplicates}),
 * and the signature — tokens, shingles and 64 hashes of each — is most of the cost of both.
 */
const defaultSignatures = new WeakMap<NearDuplicateSubject, Uint32Array>();

function signatureOf(subject: NearDuplicateSubject, text: string, size: number, seed: number): Uint32Array {
  const byDefault = size === MINHASH_SIZE && seed === MINHASH_SEED;
  const known = byDefault ? defaultSignatures.get(subject) : undefined;
  if (known !== undefined) return known;
  const signature = minHashSignature(shingles(textTokens(text)), size, seed);
  if (byDefault) defaultSignatures.set(subject, signature);
  return signature;
}

function prepare(subject: NearDuplicateSubject, index: number, size: number, seed: number): Prepared {
  const location = subject.locations[0];
  const text = [subject.title, subject.description, location?.function, location?.symbol]
    .filter((t): t is string => typeof t === 'string')
    .join(' ');
  return {
    index,
    ids: new Set((subject.aliases ?? []).map((a) => a.id)),
    subject,
    families: cweFamilies(subject.cwes),
    location,
    signature: signatureOf(subject, text, size, seed),
  };
}

/**
 * True when both findings name vulnerability ids and none is shared: a CVE and another CVE, or a GHSA and a
 * CVE the GHSA record does not list, are different vulnerabilities as far as anyone has said. Similar text
 * (advisories of one package are often worded alike) must not override that; the alias layer joins the ones
 * that really are the same.
 */
export function differentVulnerabilities(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  for (const id of a) if (b.has(id)) return false;
  return true;
}

function familiesMeet(a: Set<string>, b: Set<string>): string | null {
  if (a.size === 0 || b.size === 0) return 'unstated';
  for (const family of a) if (b.has(family)) return family;
  return null;
}

function dirOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

/** How close two locations are, with words for the reason; null when either finding has none. */
function locationSimilarity(a: CodeLocation | undefined, b: CodeLocation | undefined): [number, string] | null {
  if (a === undefined || b === undefined) return null;
  const fnA = a.function ?? a.symbol;
  const fnB = b.function ?? b.symbol;
  if (a.path !== null && b.path !== null) {
    if (a.path === b.path) {
      if (fnA !== null && fnB !== null)
        return fnA === fnB ? [1, `same file ${a.path} and function ${fnA}`] : [0.6, `same file ${a.path}, different functions`];
      return [0.9, `same file ${a.path}`];
    }
    if (a.path.split('/').pop() === b.path.split('/').pop())
      return [0.6, `same file name ${a.path.split('/').pop() ?? ''} in different folders`];
    if (dirOf(a.path) === dirOf(b.path)) return [0.3, `same folder ${dirOf(a.path) || '(root)'}`];
    return [0, 'different files'];
  }
  if (fnA !== null && fnB !== null) return fnA === fnB ? [0.9, `same function ${fnA}`] : [0, 'different functions'];
  return null;
}

/**
 * A bucket holding more findings than this is skipped: a band or a file that very many findings share is
 * boilerplate (a scanner's fixed wording, a vendored file), and comparing all of them pairwise would cost
 * the square of the bucket for no signal.
 */
export const MAX_BUCKET = 64;

/** The buckets a finding falls in within its target block: each band of its signature, its file, its function. */
function bucketKeys(p: Prepared, bandRows: number): string[] {
  const keys: string[] = [];
  const sig = p.signature;
  for (let band = 0; band * bandRows < sig.length; band++) {
    const rows = sig.subarray(band * bandRows, (band + 1) * bandRows);
    if (rows.every((v) => v === 0xffffffff)) continue;
    keys.push(`b${band}:${rows.join(',')}`);
  }
  if (p.location?.path) keys.push(`p:${p.location.path}`);
  const fn = p.location?.function ?? p.location?.symbol;
  if (fn) keys.push(`f:${fn}`);
  return keys;
}

/**
 * The buckets a subject falls in, one set per target (`<target identity>|<bucket>`): what a store indexes
 * to find a new finding's candidates among millions without comparing it to each. Two subjects can be
 * proposed by {@link findNearDuplicates} only if they share one of these.
 */
export function nearDuplicateBuckets(subject: NearDuplicateSubject, options: NearDuplicateOptions = {}): string[] {
  const prepared = prepare(subject, 0, options.signatureSize ?? MINHASH_SIZE, options.seed ?? MINHASH_SEED);
  const keys = bucketKeys(prepared, options.bandRows ?? 4);
  return [...new Set(subject.targets.map((t) => t.identity))].flatMap((identity) => keys.map((k) => `${identity}|${k}`));
}

/**
 * Pairs of `block` that share a band of their signature, a file or a function, each once (the earlier in the
 * block first); with `involved`, only the pairs with at least one involved member.
 */
function candidatePairs(block: readonly Prepared[], bandRows: number, involved?: (p: Prepared) => boolean): [Prepared, Prepared][] {
  const buckets = new Map<string, number[]>();
  block.forEach((p, i) => {
    for (const key of bucketKeys(p, bandRows)) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const seen = new Set<number>();
  const pairs: [Prepared, Prepared][] = [];
  const add = (x: number, y: number) => {
    const low = Math.min(x, y);
    const high = Math.max(x, y);
    const id = low * block.length + high;
    if (seen.has(id)) return;
    seen.add(id);
    pairs.push([block[low] as Prepared, block[high] as Prepared]);
  };
  for (const members of buckets.values()) {
    if (members.length > MAX_BUCKET) continue;
    if (involved === undefined) {
      for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) add(members[x] as number, members[y] as number);
      continue;
    }
    for (let x = 0; x < members.length; x++) {
      if (!involved(block[members[x] as number] as Prepared)) continue;
      // An involved member meets every other; two involved members meet once (the later skips the earlier).
      for (let y = 0; y < members.length; y++) {
        if (y === x || (y < x && involved(block[members[y] as number] as Prepared))) continue;
        add(members[x] as number, members[y] as number);
      }
    }
  }
  return pairs;
}

function compare(a: Prepared, b: Prepared, target: string, threshold: number): NearDuplicateCandidate | null {
  const cluster = a.subject.clusterId ?? null;
  if (cluster !== null && cluster === (b.subject.clusterId ?? null)) return null;
  if (differentVulnerabilities(a.ids, b.ids)) return null;
  const family = familiesMeet(a.families, b.families);
  if (family === null) return null;
  const text = estimateJaccard(a.signature, b.signature);
  const location = locationSimilarity(a.location, b.location);
  const score = location === null ? text : (text + location[0]) / 2;
  if (score < threshold) return null;
  const reasons = [`same target ${target}`, family === 'unstated' ? 'CWE not stated by both' : `CWE family ${family}`];
  if (location !== null) reasons.push(location[1]);
  reasons.push(`text similarity ${text.toFixed(2)}`);
  return {
    a: a.subject.key,
    b: b.subject.key,
    score: Math.round(score * 1000) / 1000,
    textSimilarity: text,
    locationSimilarity: location === null ? null : location[0],
    target,
    reason: reasons.join('; '),
  };
}

/**
 * Proposes near-duplicate pairs among the subjects, best first (ties by keys). Each pair appears once, under
 * the first target the two share. Deterministic for a given seed.
 */
export function findNearDuplicates(
  subjects: readonly NearDuplicateSubject[],
  options: NearDuplicateOptions = {},
): NearDuplicateCandidate[] {
  const size = options.signatureSize ?? MINHASH_SIZE;
  const bandRows = options.bandRows ?? 4;
  const threshold = options.threshold ?? 0.6;
  const prepared = subjects.map((s, i) => prepare(s, i, size, options.seed ?? MINHASH_SEED));
  const involving = options.involving;
  const involved = involving === undefined ? undefined : (p: Prepared) => involving.has(p.subject.key);
  const blocks = new Map<string, Prepared[]>();
  for (const p of prepared) {
    for (const identity of new Set(p.subject.targets.map((t) => t.identity))) {
      const block = blocks.get(identity);
      if (block) block.push(p);
      else blocks.set(identity, [p]);
    }
  }
  const seen = new Set<number>();
  const out: NearDuplicateCandidate[] = [];
  for (const [target, block] of [...blocks].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    for (const [a, b] of candidatePairs(block, bandRows, involved)) {
      // One pair, however many targets the two share, is compared once (under the first target in order).
      const id = a.index * prepared.length + b.index;
      if (a.subject.key === b.subject.key || seen.has(id)) continue;
      seen.add(id);
      const candidate = compare(a, b, target, threshold);
      if (candidate) out.push(candidate);
    }
  }
  return out.sort((x, y) => y.score - x.score || (x.a + x.b < y.a + y.b ? -1 : 1));
}

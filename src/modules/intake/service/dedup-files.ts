import { readFile } from 'node:fs/promises';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { appendTo } from '../../../platform/collections.js';
import {
  MemoryClusterDirectory,
  anchorProposalPairs,
  assignClusters,
  findNearDuplicates,
  findingIdentity,
  parseSubmission,
  type Finding,
  type SourceFormat,
} from '../domain/index.js';
import { decodeUpload } from './upload.js';

/**
 * Files deduplicated with no database (`clearinghouse dedup`), by the same domain functions the server runs —
 * `assignClusters` against a directory in memory for the clusters, then the two kinds of near-duplicate
 * proposal the server puts before a coordinator: a report that met several clusters on a coarser anchor
 * (line hash missing, the code snippet shared), and pairs of clusters whose reports read alike
 * (`findNearDuplicates`). Proposals are printed with their reason, never merged.
 */

export interface DedupFindingRef {
  readonly file: string;
  readonly ref: string;
  readonly productId?: string;
}

export interface DedupProposal {
  /** The two clusters, the lower id first. */
  readonly clusters: readonly [string, string];
  /** `shared-anchor`: a report met both on a coarser anchor; `similar-text`: reports of each read alike. */
  readonly basis: 'shared-anchor' | 'similar-text';
  readonly score: number;
  readonly reason: string;
  /** What it rests on: the report that met both clusters, or the two reports that read alike. */
  readonly findings: readonly DedupFindingRef[];
}

export interface DedupReport {
  readonly findings: number;
  readonly clusters: { readonly id: string; readonly findings: DedupFindingRef[] }[];
  readonly proposals: readonly DedupProposal[];
}

/** Prefixes an input error with the file it came from, keeping its pointers. */
function inFile(file: string, error: unknown): unknown {
  if (error instanceof InputError) return new InputError(`${file}: ${error.message}`, error.issues, { code: error.code });
  if (error instanceof UnsupportedMediaTypeError) return new UnsupportedMediaTypeError(`${file}: ${error.message}`);
  return error;
}

const refOf = (file: string, f: Finding): DedupFindingRef =>
  f.productId === null ? { file, ref: f.ref } : { file, ref: f.ref, productId: f.productId };

/**
 * Deduplicates the files in order and proposes near duplicates among the clusters.
 * @throws InputError or UnsupportedMediaTypeError naming the file, on the first file that does not read.
 */
export async function dedupFiles(
  files: readonly string[],
  format: SourceFormat | 'auto',
  onFile?: (done: number) => void,
): Promise<DedupReport> {
  const directory = new MemoryClusterDirectory();
  const members = new Map<string, DedupFindingRef[]>();
  const read = new Map<string, { readonly ref: DedupFindingRef; readonly finding: Finding; clusterId: string }>();
  const mergedInto = new Map<string, string>();
  const anchorPairs: (ReturnType<typeof anchorProposalPairs>[number] & { readonly by: DedupFindingRef })[] = [];
  for (const [index, file] of files.entries()) {
    let parsed;
    try {
      parsed = parseSubmission(decodeUpload(await readFile(file), file), { format });
    } catch (error) {
      throw inFile(file, error);
    }
    const entries = parsed.findings.map((f, i) => ({ key: `${index}:${i}`, finding: f }));
    const plan = await assignClusters(
      entries.map((e) => {
        const identity = findingIdentity(e.finding);
        return { key: e.key, aliases: e.finding.aliases, fingerprint: identity.fingerprint?.value ?? null, anchors: identity.anchors };
      }),
      directory,
    );
    directory.apply(plan);
    for (const merge of plan.merges) {
      members.set(merge.into, [...(members.get(merge.into) ?? []), ...(members.get(merge.from) ?? [])]);
      members.delete(merge.from);
      mergedInto.set(merge.from, merge.into);
    }
    plan.assignments.forEach((a, i) => {
      const entry = entries[i]!;
      const ref = refOf(file, entry.finding);
      appendTo(members, a.clusterId, ref);
      read.set(entry.key, { ref, finding: entry.finding, clusterId: a.clusterId });
    });
    for (const proposal of plan.proposals) {
      const by = read.get(proposal.findingKey);
      for (const pair of anchorProposalPairs(proposal, by?.finding)) if (by) anchorPairs.push({ ...pair, by: by.ref });
    }
    onFile?.(index + 1);
  }
  const current = (id: string): string => {
    let at = id;
    for (let next = mergedInto.get(at); next !== undefined; next = mergedInto.get(at)) at = next;
    return at;
  };
  for (const r of read.values()) r.clusterId = current(r.clusterId);

  const proposals = new Map<string, DedupProposal>();
  const propose = (ids: readonly [string, string], p: Omit<DedupProposal, 'clusters'>): void => {
    const clusters = [current(ids[0]), current(ids[1])].sort() as [string, string];
    const key = clusters.join(' ');
    // The first proposal of a pair wins, as on the server (anchor proposals are made before text ones).
    if (clusters[0] !== clusters[1] && !proposals.has(key)) proposals.set(key, { clusters, ...p });
  };
  for (const a of anchorPairs) propose(a.pair, { basis: 'shared-anchor', score: a.similarity, reason: a.reason, findings: [a.by] });
  const subjects = [...read].map(([key, r]) => ({ ...r.finding, key, clusterId: r.clusterId }));
  for (const c of findNearDuplicates(subjects)) {
    const [a, b] = [read.get(c.a)!, read.get(c.b)!];
    propose([a.clusterId, b.clusterId], { basis: 'similar-text', score: c.score, reason: c.reason, findings: [a.ref, b.ref] });
  }

  const clusters = [...members.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, list]) => ({ id, findings: list }));
  const ordered = [...proposals.values()].sort((x, y) => y.score - x.score || (x.clusters.join(' ') < y.clusters.join(' ') ? -1 : 1));
  return { findings: read.size, clusters, proposals: ordered };
}

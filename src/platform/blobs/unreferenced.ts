import type { ServiceContext } from '../context.js';
import type { Executor } from '../db/index.js';
import type { BlobReferences } from '../retention.js';
import type { BlobEntry } from './blob-store.js';

/** The hashes, of these, that some record of any module (each of `references`) still refers to. */
export async function referencedBlobs(
  db: Executor,
  references: readonly BlobReferences[],
  sha256s: readonly string[],
): Promise<Set<string>> {
  const referenced = new Set<string>();
  if (sha256s.length === 0) return referenced;
  for (const refs of references) for (const sha of await refs.referenced(db, sha256s)) referenced.add(sha);
  return referenced;
}

/** A blob to remove if nothing needs it any longer. */
export type BlobCandidate = Pick<BlobEntry, 'name' | 'size'>;

export interface UnreferencedRemoval<E extends BlobCandidate> {
  /** Some record refers to these: kept. */
  readonly referenced: readonly E[];
  /** Stored again at or after the cutoff (an upload whose record may not be committed yet): kept. */
  readonly recent: readonly E[];
  /** Removed (or, in a dry run, would be). */
  readonly removed: readonly E[];
}

/**
 * The one way blobs are removed while the server works (the sweeper, the retention purge): a blob goes only
 * when no record of any module refers to it and it was last stored before `storedBefore` — the grace that
 * covers an upload between storing its bytes and committing its record, which no reference check can see.
 * The store's removal re-checks the time atomically, so an upload of the same bytes racing it keeps them.
 */
export async function removeUnreferencedBlobs<E extends BlobCandidate>(
  ctx: Pick<ServiceContext, 'db' | 'blobs'>,
  references: readonly BlobReferences[],
  candidates: readonly E[],
  storedBefore: Date,
  options: { readonly dryRun?: boolean } = {},
): Promise<UnreferencedRemoval<E>> {
  const found = await referencedBlobs(
    ctx.db.kysely,
    references,
    candidates.map((c) => c.name),
  );
  const result = { referenced: [] as E[], recent: [] as E[], removed: [] as E[] };
  for (const candidate of candidates) {
    if (found.has(candidate.name)) result.referenced.push(candidate);
    else if (options.dryRun === true || (await ctx.blobs.remove({ kind: 'blob', name: candidate.name }, storedBefore))) {
      result.removed.push(candidate);
    } else result.recent.push(candidate);
  }
  return result;
}

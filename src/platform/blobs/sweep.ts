import type { ServiceContext } from '../context.js';
import { withTransaction } from '../db/index.js';
import { newId } from '../ids.js';
import type { BlobReferences } from '../retention.js';
import type { BlobEntry } from './blob-store.js';
import { removeUnreferencedBlobs } from './unreferenced.js';

/** The job kind of the scheduled sweep. */
export const BLOB_SWEEP_JOB = 'platform.blobs.sweep';

/** The audit action of a sweep that removed anything. */
export const BLOB_SWEEP_AUDIT = 'platform.blobs.sweep';

const BATCH = 500;

export interface SweepOptions {
  /** Leftovers younger than this stay: an upload may be between storing its bytes and committing its record. */
  readonly graceMs: number;
  /** Count what would go, remove nothing, audit nothing. */
  readonly dryRun?: boolean;
}

export interface SweepReport {
  readonly dryRun: boolean;
  /** Entries stored before this instant were old enough to go. */
  readonly cutoff: string;
  readonly graceSeconds: number;
  readonly temporaryFiles: { readonly removed: number; readonly bytes: number; readonly recent: number };
  readonly blobs: {
    readonly examined: number;
    readonly referenced: number;
    readonly recent: number;
    readonly removed: number;
    readonly bytes: number;
  };
}

/**
 * Removes what crashes leave in the blob store (issue 10, recovery): temporary files of writes that died,
 * and blobs no record of any module refers to (an upload killed after storing its bytes, before its record
 * committed), when older than the grace period. A blob is kept when any of `references` — every module
 * that stores blob hashes — still refers to it, and when it was stored again since it was listed. One
 * audit event per sweep that removed anything, with the counts; a sweep that found nothing changed nothing
 * and records nothing (so the scheduled sweep moves the audit chain's head, and its checkpoints, only when
 * it acted). Safe to run while the server works, and again after a crash.
 */
export async function sweepBlobs(ctx: ServiceContext, references: readonly BlobReferences[], options: SweepOptions): Promise<SweepReport> {
  const dryRun = options.dryRun ?? false;
  const cutoff = new Date(ctx.clock.now().getTime() - options.graceMs);
  const temporary = { removed: 0, bytes: 0, recent: 0 };
  const blobs = { examined: 0, referenced: 0, recent: 0, removed: 0, bytes: 0 };
  let batch: BlobEntry[] = [];

  const removeUnreferenced = async (): Promise<void> => {
    const outcome = await removeUnreferencedBlobs(ctx, references, batch, cutoff, { dryRun });
    blobs.referenced += outcome.referenced.length;
    blobs.recent += outcome.recent.length;
    blobs.removed += outcome.removed.length;
    for (const entry of outcome.removed) blobs.bytes += entry.size;
    batch = [];
  };

  for await (const entry of ctx.blobs.entries()) {
    const old = entry.storedAt.getTime() < cutoff.getTime();
    if (entry.kind === 'temporary') {
      if (!old) temporary.recent++;
      else if (dryRun || (await ctx.blobs.remove(entry, cutoff))) {
        temporary.removed++;
        temporary.bytes += entry.size;
      }
      continue;
    }
    blobs.examined++;
    if (!old) {
      blobs.recent++;
      continue;
    }
    batch.push(entry);
    if (batch.length >= BATCH) await removeUnreferenced();
  }
  if (batch.length > 0) await removeUnreferenced();

  const report: SweepReport = {
    dryRun,
    cutoff: cutoff.toISOString(),
    graceSeconds: Math.round(options.graceMs / 1000),
    temporaryFiles: temporary,
    blobs,
  };
  if (!dryRun && temporary.removed + blobs.removed > 0) {
    await withTransaction(ctx.db, (trx) =>
      ctx.audit.record(trx, ctx.actor, {
        action: BLOB_SWEEP_AUDIT,
        subject: { type: 'blob_sweep', id: newId('sweep') },
        orgId: null,
        diff: { cutoff: report.cutoff, temporaryFiles: temporary, blobs },
      }),
    );
  }
  ctx.log.info({ ...report }, 'swept the blob store');
  return report;
}

import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { FINGERPRINT_PREFIX, findingIdentity, withoutCheckoutPrefix, type Finding } from '../domain/index.js';
import { compactFinding, restoreFinding } from '../finding-json.js';
import * as store from '../store.js';
import { deleteAnchorsOf, insertAnchors } from '../store/anchors.js';
import { proposeCandidate } from './anchor-proposals.js';

export const REDERIVE_JOB = 'intake.fingerprints.rederive';

export interface RederiveReport {
  /** Findings whose stored fingerprint was of an older version and is now current. */
  readonly findings: number;
  /** Of those, the ones whose stored path changed (a CI checkout folder dropped). */
  readonly paths: number;
  /** Clusters proposed as near duplicates because a re-derived fingerprint is held by another cluster. */
  readonly proposed: number;
}

export interface RederiveOptions {
  /** Findings per transaction. Default 500. */
  readonly batchSize?: number;
  /** Called after each committed batch (tests stop the run here, as a kill would). */
  readonly afterBatch?: (done: number) => void | Promise<void>;
}

/** Refs of a submission's findings whose primary path was absolute under no base (the parser warned so). */
function absoluteRefs(warnings: string): Set<string> {
  const out = new Set<string>();
  for (const w of JSON.parse(warnings) as { pointer: string; detail: string }[]) {
    const at = w.pointer.match(/^(.*)\/locations\/0\/physicalLocation\/artifactLocation\/uri$/);
    if (at?.[1] !== undefined && /is absolute/.test(w.detail)) out.add(at[1]);
  }
  return out;
}

/** The finding with today's path rules applied to what was stored: checkout prefixes of CI machines dropped. */
function withCurrentPaths(finding: Finding, wasAbsolute: boolean): Finding {
  let changed = false;
  const locations = finding.locations.map((l) => {
    const path = l.path === null ? null : withoutCheckoutPrefix(l.path, { absolute: wasAbsolute });
    if (path === l.path) return l;
    changed = true;
    return { ...l, path };
  });
  return changed ? { ...finding, locations } : finding;
}

/**
 * Re-derives stored fingerprints after a FINGERPRINT_VERSION bump (FINGERPRINTS.md): each finding whose
 * fingerprint has an older prefix gets today's fingerprint and anchors, from its stored normalized finding
 * with today's path rules; its cluster gets the new fingerprint key (old keys are dropped). Where another
 * cluster already holds the new key — both were stored apart and are now seen to be one — the two are
 * proposed as near duplicates, never merged here.
 *
 * Batches commit one at a time and a finding's own fingerprint column marks it done, so the run is
 * idempotent and resumes where a killed one stopped. Serialized with deduplication, which reads the keys.
 */
export async function rederiveFingerprints(ctx: ServiceContext, options: RederiveOptions = {}): Promise<RederiveReport> {
  const batchSize = options.batchSize ?? 500;
  let findings = 0;
  let paths = 0;
  let proposed = 0;
  for (;;) {
    const done = await withTransaction(ctx.db, async (trx) => {
      await serializeOn(trx, ctx.db.caps, 'intake.dedup');
      const rows = await store
        .t(trx)
        .selectFrom('intake_finding as f')
        .innerJoin('intake_submission as s', 's.id', 'f.submission_id')
        .select(['f.id', 'f.cluster_id', 'f.fingerprint', 'f.data', 'f.ref', 's.warnings'])
        .where('f.fingerprint', 'like', 'fp%:%')
        .where('f.fingerprint', 'not like', `${FINGERPRINT_PREFIX}%`)
        .orderBy('f.id')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return 0;
      const at = ctx.clock.now().toISOString();
      await deleteAnchorsOf(
        trx,
        rows.map((r) => r.id),
      );
      const absolute = new Map<string, Set<string>>();
      for (const row of rows) {
        const stored = restoreFinding(row.data);
        const refs = absolute.get(row.warnings) ?? absoluteRefs(row.warnings);
        absolute.set(row.warnings, refs);
        const finding = withCurrentPaths(stored, refs.has(row.ref));
        const identity = findingIdentity(finding);
        const fingerprint = identity.fingerprint?.value ?? `none:${row.id}`;
        if (finding !== stored) paths += 1;
        await store
          .t(trx)
          .updateTable('intake_finding')
          .set(finding === stored ? { fingerprint } : { fingerprint, data: compactFinding(finding) })
          .where('id', '=', row.id)
          .execute();
        await store.t(trx).deleteFrom('intake_cluster_key').where('key', '=', `fp:${row.fingerprint}`).execute();
        if (identity.fingerprint !== null) proposed += await keepKey(trx, ctx, row, `fp:${fingerprint}`, at);
        if (identity.anchors.length > 1)
          await insertAnchors(
            trx,
            ctx.db.caps,
            identity.anchors.map((a) => ({ key: a.key, level: a.level, finding_id: row.id, created_at: at })),
          );
      }
      return rows.length;
    });
    if (done === 0) break;
    findings += done;
    await options.afterBatch?.(findings);
  }
  if (findings > 0)
    await withTransaction(ctx.db, (trx) =>
      ctx.audit.record(trx, ctx.actor, {
        action: 'intake.fingerprints.rederive',
        subject: { type: 'fingerprint-version', id: FINGERPRINT_PREFIX },
        diff: { findings, paths, proposed },
      }),
    );
  return { findings, paths, proposed };
}

/** Gives the finding's cluster its re-derived key, or proposes the cluster that holds it already. */
async function keepKey(
  trx: Executor,
  ctx: ServiceContext,
  row: { id: string; cluster_id: string },
  key: string,
  at: string,
): Promise<number> {
  const holder = await store.t(trx).selectFrom('intake_cluster_key').select('cluster_id').where('key', '=', key).executeTakeFirst();
  if (holder === undefined) {
    await store.insertClusterKeys(trx, ctx.db.caps, [
      { key, cluster_id: row.cluster_id, kind: 'fingerprint', finding_id: row.id, created_at: at },
    ]);
    return 0;
  }
  if (holder.cluster_id === row.cluster_id) return 0;
  const reason = `same fingerprint once re-derived as ${FINGERPRINT_PREFIX.slice(0, -1)} (stored apart under an older version)`;
  return (await proposeCandidate(trx, [holder.cluster_id, row.cluster_id], 1, reason, at)) ? 1 : 0;
}

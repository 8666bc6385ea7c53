import type { ServiceContext } from '../../../platform/context.js';
import { withSerializedTransaction, type Executor } from '../../../platform/db/index.js';
import { DEDUP_LOCK } from './dedup-lock.js';
import { FINGERPRINT_PREFIX, findingIdentity, withoutCheckoutPrefix, type Finding } from '../domain/index.js';
import { compactFinding, restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';
import { proposeCandidates, type CandidateProposal } from './anchor-proposals.js';

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
 * Gives each finding's cluster its re-derived key, in order, as one finding after another would: the first
 * to need a key no cluster holds gets it; a later one in another cluster — and any whose key another cluster
 * holds already — proposes the two clusters as near duplicates.
 */
async function keepKeys(
  trx: Executor,
  ctx: ServiceContext,
  wanted: readonly { key: string; clusterId: string; findingId: string }[],
  at: string,
): Promise<number> {
  const holders = await store.clustersOfKeys(trx, ctx.db.caps, [...new Set(wanted.map((w) => w.key))]);
  const fresh: store.ClusterKeyRow[] = [];
  const proposals: CandidateProposal[] = [];
  const reason = `same fingerprint once re-derived as ${FINGERPRINT_PREFIX.slice(0, -1)} (stored apart under an older version)`;
  for (const w of wanted) {
    const holder = holders.get(w.key);
    if (holder === undefined) {
      holders.set(w.key, w.clusterId);
      fresh.push({ key: w.key, cluster_id: w.clusterId, finding_id: w.findingId, created_at: at });
    } else if (holder !== w.clusterId) proposals.push({ pair: [holder, w.clusterId], similarity: 1, reason });
  }
  await store.insertClusterKeys(trx, ctx.db.caps, fresh);
  return proposeCandidates(trx, ctx.db.caps, proposals, at);
}

/** Re-derives one batch in the caller's transaction: a few statements for the whole batch, not per finding. */
async function rederiveBatch(trx: Executor, ctx: ServiceContext, rows: readonly store.StaleRow[]): Promise<RederiveReport> {
  const at = ctx.clock.now().toISOString();
  await store.deleteAnchorsOf(
    trx,
    rows.map((r) => r.id),
  );
  const absolute = new Map<string, Set<string>>();
  const updates: { id: string; fingerprint: string; data: string | null }[] = [];
  const wanted: { key: string; clusterId: string; findingId: string }[] = [];
  const anchors: store.AnchorRow[] = [];
  let paths = 0;
  for (const row of rows) {
    const stored = restoreFinding(row.data);
    const refs = absolute.get(row.warnings) ?? absoluteRefs(row.warnings);
    absolute.set(row.warnings, refs);
    const finding = withCurrentPaths(stored, refs.has(row.ref));
    const identity = findingIdentity(finding);
    const fingerprint = identity.fingerprint?.value ?? `none:${row.id}`;
    if (finding !== stored) paths += 1;
    updates.push({ id: row.id, fingerprint, data: finding === stored ? null : compactFinding(finding) });
    if (identity.fingerprint !== null) wanted.push({ key: `fp:${fingerprint}`, clusterId: row.cluster_id, findingId: row.id });
    if (identity.anchors.length > 1)
      anchors.push(...identity.anchors.map((a) => ({ key: a.key, level: a.level, finding_id: row.id, created_at: at })));
  }
  await store.setFingerprints(trx, updates);
  await store.deleteClusterKeys(trx, [...new Set(rows.map((r) => `fp:${r.fingerprint}`))]);
  const proposed = await keepKeys(trx, ctx, wanted, at);
  await store.insertAnchors(trx, ctx.db.caps, anchors);
  return { findings: rows.length, paths, proposed };
}

/**
 * Re-derives stored fingerprints after a FINGERPRINT_VERSION bump (FINGERPRINTS.md): each finding whose
 * fingerprint has an older prefix gets today's fingerprint and anchors, from its stored normalized finding
 * with today's path rules; its cluster gets the new fingerprint key (old keys are dropped). Where another
 * cluster already holds the new key — both were stored apart and are now seen to be one — the two are
 * proposed as near duplicates, never merged here.
 *
 * Findings are read in id order from where the last batch ended (keyset paging: each batch reads only its
 * own rows, so a run is linear in the findings, not quadratic), and each batch is written with a few
 * statements and audited in its own transaction. A finding's own fingerprint column marks it done, so the
 * run is idempotent and a killed one resumes from the start of the id order, skipping what is done.
 * Serialized with deduplication, which reads the keys.
 */
export async function rederiveFingerprints(ctx: ServiceContext, options: RederiveOptions = {}): Promise<RederiveReport> {
  const batchSize = options.batchSize ?? 500;
  let afterId = '';
  let total: RederiveReport = { findings: 0, paths: 0, proposed: 0 };
  for (;;) {
    const batch = await withSerializedTransaction(ctx.db, DEDUP_LOCK, async (trx) => {
      const rows = await store.staleFindings(trx, FINGERPRINT_PREFIX, afterId, batchSize);
      if (rows.length === 0) return null;
      const report = await rederiveBatch(trx, ctx, rows);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'intake.fingerprints.rederive',
        subject: { type: 'fingerprint-version', id: FINGERPRINT_PREFIX },
        diff: report,
      });
      return { report, lastId: rows[rows.length - 1]!.id };
    });
    if (batch === null) break;
    afterId = batch.lastId;
    total = {
      findings: total.findings + batch.report.findings,
      paths: total.paths + batch.report.paths,
      proposed: total.proposed + batch.report.proposed,
    };
    await options.afterBatch?.(total.findings);
  }
  return total;
}

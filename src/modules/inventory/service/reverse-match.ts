import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { isEvent, type StoredEvent } from '../../../platform/events/index.js';
import { compileAdvisory, evaluateAdvisory } from '../domain/osv-evaluate.js';
import { readOsvRecord } from '../domain/osv-record.js';
import { findAdvisory } from '../store/advisories.js';
import { findAssets } from '../store/assets.js';
import { deleteMatches, deleteMatchesOfAdvisory, insertMatches, matchKey, matchesOfAdvisory } from '../store/matches.js';
import { componentsByPackage } from '../store/sboms.js';
import type { AdvisoryRow, MatchRow } from '../store/tables.js';
import { ADVISORY_CHANGED } from '../events.js';
import { emitExposureChanges, type Party } from './exposure-events.js';
import { withInventoryLockAfter } from './match-lock.js';
import type { InventoryIndexes } from './match-indexes.js';
import { refOfRow, sameVerdict, toMatchRow } from './match-rows.js';

export interface ReverseMatchResult {
  readonly advisoryId: string;
  /** Components × this advisory now recorded. */
  readonly matches: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

interface Desired {
  readonly row: AdvisoryRow | undefined;
  readonly desired: MatchRow[];
}

/** The advisory as `executor` reads it, and the match rows it should have against the indexed inventories. */
async function desiredMatches(ctx: ServiceContext, executor: Executor, indexes: InventoryIndexes, advisoryId: string): Promise<Desired> {
  const row = await findAdvisory(executor, advisoryId);
  const desired: MatchRow[] = [];
  if (row !== undefined && row.withdrawn === null) {
    const advisory = compileAdvisory(readOsvRecord(JSON.parse(row.record)));
    const sbomIds = [...new Set(indexes.components.affectedBy(advisory).map((hit) => hit.owner))];
    const keys = [...new Set(advisory.affected.flatMap((a) => (a.key === null ? [] : [a.key])))];
    const now = ctx.clock.now().toISOString();
    for (const component of await componentsByPackage(executor, sbomIds, keys)) {
      const owner = indexes.sbomOwners.get(component.sbom_id);
      const ref = refOfRow(component);
      if (owner === undefined || ref === null) continue;
      const verdict = evaluateAdvisory(advisory, ref);
      if (verdict.status !== 'not-affected') desired.push(toMatchRow(component, owner, verdict, now));
    }
  }
  return { row, desired };
}

/**
 * The reverse match: one advisory, as the database holds it now, against every asset's current inventory.
 * The in-memory component index finds the SBOMs that hold an affected version (each distinct version
 * evaluated once); their component rows are then evaluated one by one, so every match names the
 * component as written. The advisory's match rows are replaced by the result, and when they changed an
 * `inventory.exposure.changed` event names the affected and no-longer-affected operators.
 * Idempotent: running it again with nothing changed writes nothing.
 */
export async function rematchAdvisory(ctx: ServiceContext, advisoryId: string): Promise<ReverseMatchResult> {
  // Matched before the lock where this process's turn keeps the indexes still while it reads (PostgreSQL), and
  // again under the lock only if they moved: two of the reads leave the lock every process waits for.
  const ahead = async (indexes: InventoryIndexes): Promise<(Desired & { seq: number }) | undefined> => {
    if (!ctx.db.caps.advisoryLocks) return undefined;
    const seq = indexes.seq;
    const desired = await desiredMatches(ctx, ctx.db.kysely, indexes, advisoryId);
    return indexes.seq === seq ? { ...desired, seq } : undefined;
  };
  return withInventoryLockAfter(ctx, ahead, async ({ trx, indexes, ahead: early }) => {
    const { row, desired } = early?.seq === indexes.seq ? early : await desiredMatches(ctx, trx, indexes, advisoryId);
    const existing = await matchesOfAdvisory(trx, advisoryId);
    const before = new Map(existing.map((m) => [matchKey(m), m] as const));
    const after = new Map(desired.map((m) => [matchKey(m), m] as const));
    const removed = existing.filter((m) => !after.has(matchKey(m)));
    const changed = desired.filter((m) => before.has(matchKey(m)) && !sameVerdict(before.get(matchKey(m)) as MatchRow, m));
    const added = desired.filter((m) => !before.has(matchKey(m)));
    const result = { advisoryId, matches: desired.length, added: added.length, removed: removed.length, changed: changed.length };
    if (removed.length + changed.length + added.length === 0) return result;

    if (desired.length === 0) await deleteMatchesOfAdvisory(trx, advisoryId);
    else await deleteMatches(trx, [...removed, ...changed]);
    await insertMatches(trx, [...changed, ...added]);

    const affectedAssets = (rows: readonly MatchRow[]): Set<string> =>
      new Set(rows.filter((m) => m.status === 'affected').map((m) => m.asset_id));
    const now = affectedAssets(desired);
    const then = affectedAssets(existing);
    const assets = new Map((await findAssets(trx, [...new Set([...now, ...then])])).map((a) => [a.id, a] as const));
    const party = (id: string): Party[] => {
      const a = assets.get(id);
      return a === undefined ? [] : [{ assetId: a.id, orgId: a.owner_org_id, sector: a.sector }];
    };
    await ctx.audit.record(trx, ctx.actor, {
      action: 'inventory.exposure.update',
      subject: { type: 'advisory', id: advisoryId },
      orgId: null,
      diff: { reason: 'advisory-changed', revision: row?.revision ?? null, ...result, affectedAssets: now.size },
    });
    await emitExposureChanges(
      ctx,
      trx,
      'advisory-changed',
      [{ advisoryId, affected: [...now].flatMap(party), cleared: [...then].filter((id) => !now.has(id)).flatMap(party) }],
      null,
      row === undefined ? [] : [row],
    );
    return result;
  });
}

/** The consumer of `inventory.advisory.changed`: runs the reverse match for the advisory named. */
export async function handleAdvisoryChanged(ctx: ServiceContext, event: StoredEvent): Promise<void> {
  if (isEvent(event, ADVISORY_CHANGED)) await rematchAdvisory(ctx, event.payload.advisoryId);
}

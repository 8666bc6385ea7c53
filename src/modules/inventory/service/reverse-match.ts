import type { ServiceContext } from '../../../platform/context.js';
import { writeTogether, type Executor } from '../../../platform/db/index.js';
import { groupBy } from '../../../platform/collections.js';
import { isEvent, type StoredEvent } from '../../../platform/events/index.js';
import { compileAdvisory, evaluateAdvisory } from '../domain/osv-evaluate.js';
import { readOsvRecord } from '../domain/osv-record.js';
import { findAdvisory } from '../store/advisories.js';
import { findAssets } from '../store/assets.js';
import { deleteMatchesStatements, matchKey, matchesOfAdvisories, upsertMatchesStatements } from '../store/matches.js';
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
  const [result] = await rematchAdvisories(ctx, [advisoryId]);
  if (result === undefined) throw new Error(`no reverse match result for ${advisoryId}`);
  return result;
}

/**
 * {@link rematchAdvisory} for several advisories (the events of several jobs) in one turn of the inventory
 * lock and one transaction, one after the other: each writes, records and announces what it would alone.
 * An advisory named twice is matched once (the second match would find nothing changed).
 */
export async function rematchAdvisories(ctx: ServiceContext, advisoryIds: readonly string[]): Promise<ReverseMatchResult[]> {
  const ids = [...new Set(advisoryIds)];
  // Matched before the lock where this process's turn keeps the indexes still while it reads (PostgreSQL), and
  // again under the lock only if they moved: two of the reads leave the lock every process waits for.
  const ahead = async (indexes: InventoryIndexes): Promise<{ desired: Map<string, Desired>; seq: number } | undefined> => {
    if (!ctx.db.caps.advisoryLocks) return undefined;
    const seq = indexes.seq;
    const desired = new Map<string, Desired>();
    for (const id of ids) desired.set(id, await desiredMatches(ctx, ctx.db.kysely, indexes, id));
    return indexes.seq === seq ? { desired, seq } : undefined;
  };
  return withInventoryLockAfter(ctx, ahead, async ({ trx, indexes, ahead: early }) => {
    const wanted: [string, Desired][] = [];
    for (const advisoryId of ids) {
      const known = early?.seq === indexes.seq ? early.desired.get(advisoryId) : undefined;
      wanted.push([advisoryId, known ?? (await desiredMatches(ctx, trx, indexes, advisoryId))]);
    }
    return replaceMatches(ctx, trx, wanted);
  });
}

/** One advisory's match rows as they are and as they should be, and what differs. */
interface Replacement {
  readonly advisoryId: string;
  readonly row: AdvisoryRow | undefined;
  readonly existing: readonly MatchRow[];
  readonly desired: readonly MatchRow[];
  readonly removed: readonly MatchRow[];
  /** Rows changed or added. */
  readonly written: readonly MatchRow[];
  readonly result: ReverseMatchResult;
}

function replacementOf(advisoryId: string, { row, desired }: Desired, existing: readonly MatchRow[]): Replacement {
  const before = new Map(existing.map((m) => [matchKey(m), m] as const));
  const after = new Map(desired.map((m) => [matchKey(m), m] as const));
  const removed = existing.filter((m) => !after.has(matchKey(m)));
  const changed = desired.filter((m) => before.has(matchKey(m)) && !sameVerdict(before.get(matchKey(m)) as MatchRow, m));
  const added = desired.filter((m) => !before.has(matchKey(m)));
  const result = { advisoryId, matches: desired.length, added: added.length, removed: removed.length, changed: changed.length };
  return { advisoryId, row, existing, desired, removed, written: [...changed, ...added], result };
}

const affectedAssets = (rows: readonly MatchRow[]): Set<string> =>
  new Set(rows.filter((m) => m.status === 'affected').map((m) => m.asset_id));

/**
 * Writes each advisory's match rows as `wanted` says, and records and announces each change (if any), in
 * order, as matching each alone would: the rows of all of them read in one query and written in one statement
 * on PostgreSQL (rows removed deleted, rows changed or added written over their keys), the assets they name
 * read in one — under the lock that every process's uploads and imports wait for (issue 20).
 */
async function replaceMatches(ctx: ServiceContext, trx: Executor, wanted: readonly [string, Desired][]): Promise<ReverseMatchResult[]> {
  const existing = groupBy(
    await matchesOfAdvisories(
      trx,
      wanted.map(([id]) => id),
    ),
    (m) => m.advisory_id,
  );
  const all = wanted.map(([id, desired]) => replacementOf(id, desired, existing.get(id) ?? []));
  const changes = all.filter((r) => r.removed.length + r.written.length > 0);
  if (changes.length === 0) return all.map((r) => r.result);
  // Rows removed and rows written have different keys (a changed row is written over): one statement may hold both.
  await writeTogether(trx, ctx.db.caps, [
    ...changes.flatMap((r) => deleteMatchesStatements(trx, r.removed)),
    ...changes.flatMap((r) => upsertMatchesStatements(trx, r.written)),
  ]);
  const named = changes.flatMap((r) => [...affectedAssets(r.desired), ...affectedAssets(r.existing)]);
  const assets = new Map((await findAssets(trx, [...new Set(named)])).map((a) => [a.id, a] as const));
  const party = (id: string): Party[] => {
    const a = assets.get(id);
    return a === undefined ? [] : [{ assetId: a.id, orgId: a.owner_org_id, sector: a.sector }];
  };
  for (const { advisoryId, row, existing: before, desired, result } of changes) {
    const now = affectedAssets(desired);
    const then = affectedAssets(before);
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
  }
  return all.map((r) => r.result);
}

/**
 * The consumer of `inventory.advisory.changed`: runs the reverse match for the advisories the events name, in
 * their order, in one transaction.
 */
export async function handleAdvisoriesChanged(ctx: ServiceContext, events: readonly StoredEvent[]): Promise<void> {
  const ids = events.flatMap((event) => (isEvent(event, ADVISORY_CHANGED) ? [event.payload.advisoryId] : []));
  if (ids.length > 0) await rematchAdvisories(ctx, ids);
}

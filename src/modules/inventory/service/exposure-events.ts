import type { ServiceContext } from '../../../platform/context.js';
import { writeTogether, type Executor, type WriteStatement } from '../../../platform/db/index.js';
import type { Tlp } from '../../../platform/tlp.js';
import { findAdvisories } from '../store/advisories.js';
import type { AdvisoryRow } from '../store/tables.js';
import { EXPOSURE_CHANGED, type ExposureChangedPayload } from '../events.js';

/** An asset as exposure events name it. */
export interface Party {
  readonly assetId: string;
  readonly orgId: string;
  readonly sector: string | null;
}

export interface ExposureChange {
  readonly advisoryId: string;
  /** The parties the advisory affects now, among those the change touched. */
  readonly affected: readonly Party[];
  /** The parties it affected before and no longer does. */
  readonly cleared: readonly Party[];
}

const sortedUnique = (values: readonly (string | null)[]): string[] => [...new Set(values.filter((v): v is string => v !== null))].sort();

/**
 * Emits one `inventory.exposure.changed` per advisory, in the caller's transaction, delivered to each
 * consumer in a few jobs for the whole change (an SBOM upload changes the exposure of dozens of advisories). The advisory's aliases
 * and TLP are read from its row, so every event says how far it may travel: from `known`, rows of the
 * advisories read in this transaction, or else from the database.
 */
export async function emitExposureChanges(...args: Parameters<typeof exposureChangeStatements>): Promise<void> {
  const [ctx, trx] = args;
  await writeTogether(trx, ctx.db.caps, await exposureChangeStatements(...args));
}

/** {@link emitExposureChanges}'s statements, built but not run (`emitAllStatements`), to send with other writes. */
export async function exposureChangeStatements(
  ctx: ServiceContext,
  trx: Executor,
  reason: ExposureChangedPayload['reason'],
  changes: readonly ExposureChange[],
  orgId: string | null = null,
  known: readonly Pick<AdvisoryRow, 'id' | 'aliases' | 'tlp'>[] = [],
): Promise<WriteStatement[]> {
  if (changes.length === 0) return [];
  // Rows the caller read in this transaction are not asked for again (a reverse match holds its advisory's).
  const advisories = new Map<string, Pick<AdvisoryRow, 'id' | 'aliases' | 'tlp'>>(known.map((r) => [r.id, r] as const));
  const missing = [...new Set(changes.map((c) => c.advisoryId))].filter((id) => !advisories.has(id));
  if (missing.length > 0) for (const row of await findAdvisories(trx, missing)) advisories.set(row.id, row);
  const events = changes.map((change) => {
    const row = advisories.get(change.advisoryId);
    const payload: ExposureChangedPayload = {
      reason,
      advisoryId: change.advisoryId,
      aliases: row === undefined ? [] : (JSON.parse(row.aliases) as string[]),
      tlp: (row?.tlp ?? 'CLEAR') as Tlp,
      orgIds: sortedUnique(change.affected.map((p) => p.orgId)),
      assetIds: sortedUnique(change.affected.map((p) => p.assetId)),
      sectors: sortedUnique(change.affected.map((p) => p.sector)),
      clearedOrgIds: sortedUnique(change.cleared.map((p) => p.orgId)),
      clearedAssetIds: sortedUnique(change.cleared.map((p) => p.assetId)),
    };
    return { subjectId: change.advisoryId, orgId, payload };
  });
  return ctx.events.emitAllStatements(trx, EXPOSURE_CHANGED, events);
}

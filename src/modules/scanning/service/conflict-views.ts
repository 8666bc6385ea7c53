import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { canSee, type ProtectedRecord } from '../../identity/index.js';
import type { CampaignConflict } from '../domain/campaign-conflicts.js';
import { presentConflict, type ConflictView } from '../presenters.js';
import * as campaigns from '../store/campaigns.js';
import type { CampaignRow } from '../store/tables.js';
import { campaignRecords } from './access.js';

/** The other campaigns' rows and labels, for deciding what each party may see. */
export async function conflictPartners(
  executor: Executor,
  conflicts: readonly CampaignConflict[],
): Promise<{ rows: Map<string, CampaignRow>; records: Map<string, ProtectedRecord> }> {
  const rows = await campaigns.campaignsByIds(
    executor,
    conflicts.map((c) => c.other.id),
  );
  return { rows: new Map(rows.map((r) => [r.id, r])), records: await campaignRecords(executor, rows) };
}

/** The conflicts as the caller may see them. */
export async function presentConflicts(
  ctx: ServiceContext,
  executor: Executor,
  conflicts: readonly CampaignConflict[],
): Promise<ConflictView[]> {
  const { rows, records } = await conflictPartners(executor, conflicts);
  const now = ctx.clock.now();
  return conflicts.map((c) => {
    const record = records.get(c.other.id);
    return presentConflict(c, rows.get(c.other.id), record !== undefined && canSee(ctx.actor, record), now);
  });
}

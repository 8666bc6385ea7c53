import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t, type CampaignFindingRow } from './tables.js';

/** Links findings to the campaign that produced them; a finding linked before is left as it is. */
export async function linkFindings(executor: Executor, rows: readonly CampaignFindingRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await t(executor)
    .insertInto('scanning_finding')
    .values([...rows])
    .onConflict((oc) => oc.column('finding_id').doNothing())
    .returning('finding_id')
    .execute();
  return inserted.length;
}

/** The clusters a campaign's findings fell into, with how many findings each. */
export async function clustersOfCampaigns(
  executor: Executor,
  campaignIds: readonly string[],
): Promise<{ campaign_id: string; cluster_id: string; target_key: string | null; findings: number; last_reported_at: string }[]> {
  if (campaignIds.length === 0) return [];
  const rows = await t(executor)
    .selectFrom('scanning_finding')
    .select(['campaign_id', 'cluster_id', 'target_key'])
    .select(sql<number>`count(*)`.as('findings'))
    .select(sql<string>`max(reported_at)`.as('last_reported_at'))
    .where('campaign_id', 'in', [...campaignIds])
    .groupBy(['campaign_id', 'cluster_id', 'target_key'])
    .execute();
  return rows.map((r) => ({ ...r, findings: Number(r.findings) }));
}

import { sql } from 'kysely';
import type { Actor } from '../../../platform/actor.js';
import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { visibleTo } from '../../identity/index.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { mayOverlap } from './network-filters.js';
import { t, type CampaignAssetRow, type CampaignRow, type CampaignTargetRow, type StopRequestRow } from './tables.js';

/** The next change number; the caller holds the scanning lock, so numbers are handed out one at a time. */
export async function nextSeq(executor: Executor): Promise<number> {
  const row = await t(executor)
    .selectFrom('scanning_campaign')
    .select(sql<number | string | null>`max(seq)`.as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0) + 1;
}

export async function lastSeq(executor: Executor): Promise<number> {
  return (await nextSeq(executor)) - 1;
}

export async function insertCampaign(
  executor: Executor,
  row: CampaignRow,
  targets: readonly CampaignTargetRow[],
  assets: readonly CampaignAssetRow[],
): Promise<void> {
  await t(executor).insertInto('scanning_campaign').values(row).execute();
  if (targets.length > 0)
    await t(executor)
      .insertInto('scanning_campaign_target')
      .values([...targets])
      .execute();
  if (assets.length > 0)
    await t(executor)
      .insertInto('scanning_campaign_asset')
      .values([...assets])
      .execute();
}

export async function findCampaign(executor: Executor, id: string): Promise<CampaignRow | undefined> {
  return t(executor).selectFrom('scanning_campaign').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function campaignsByIds(executor: Executor, ids: readonly string[]): Promise<CampaignRow[]> {
  if (ids.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_campaign')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function targetsOf(executor: Executor, campaignIds: readonly string[]): Promise<CampaignTargetRow[]> {
  if (campaignIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_campaign_target')
    .selectAll()
    .where('campaign_id', 'in', [...campaignIds])
    .orderBy('campaign_id')
    .orderBy('position')
    .execute();
}

export async function assetsOfCampaigns(executor: Executor, campaignIds: readonly string[]): Promise<CampaignAssetRow[]> {
  if (campaignIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_campaign_asset')
    .selectAll()
    .where('campaign_id', 'in', [...campaignIds])
    .execute();
}

export async function setCampaignState(
  executor: Executor,
  id: string,
  change: { state: string; at: string; seq: number; stopReason?: string | null },
): Promise<void> {
  await t(executor)
    .updateTable('scanning_campaign')
    .set({
      state: change.state,
      state_changed_at: change.at,
      seq: change.seq,
      ...(change.stopReason === undefined ? {} : { stop_reason: change.stopReason }),
    })
    .where('id', '=', id)
    .execute();
}

/** Campaigns changed after `seq`, oldest change first. */
export async function campaignsChangedAfter(executor: Executor, seq: number, limit: number): Promise<CampaignRow[]> {
  return t(executor).selectFrom('scanning_campaign').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
}

/** Planned and active campaigns, a page at a time by id. */
export async function liveCampaignsAfter(executor: Executor, afterId: string, limit: number): Promise<CampaignRow[]> {
  return t(executor)
    .selectFrom('scanning_campaign')
    .selectAll()
    .where('state', 'in', ['planned', 'active'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Planned campaigns whose window has opened and active ones whose window has closed, by `now`. */
export async function campaignsDueByTime(executor: Executor, now: string, limit: number): Promise<CampaignRow[]> {
  return t(executor)
    .selectFrom('scanning_campaign')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'planned'), eb('window_start', '<=', now)]),
        eb.and([eb('state', 'in', ['planned', 'active']), eb('window_end', '<=', now)]),
      ]),
    )
    .orderBy('window_start')
    .limit(limit)
    .execute();
}

export interface CampaignFilter {
  readonly state?: string | undefined;
  readonly orgId?: string | undefined;
  readonly technique?: string | undefined;
  /** Only campaigns with a target that may overlap this one (the caller confirms). */
  readonly target?: ScanTarget | undefined;
}

/** Campaigns the actor may see, newest first. */
export async function listVisibleCampaigns(
  executor: Executor,
  actor: Actor,
  filter: CampaignFilter,
  page: PageRequest,
): Promise<Page<CampaignRow>> {
  const { target } = filter;
  const q = t(executor)
    .selectFrom('scanning_campaign as c')
    .selectAll('c')
    .where(visibleTo(actor, 'c'))
    .$if(filter.state !== undefined, (w) => w.where('c.state', '=', filter.state ?? ''))
    .$if(filter.orgId !== undefined, (w) => w.where('c.owner_org_id', '=', filter.orgId ?? ''))
    .$if(filter.technique !== undefined, (w) => w.where('c.technique', '=', filter.technique ?? ''))
    .$if(target !== undefined, (w) =>
      w.where((eb) =>
        eb.exists(
          eb
            .selectFrom('scanning_campaign_target as ct')
            .select('ct.campaign_id')
            .whereRef('ct.campaign_id', '=', 'c.id')
            .where(mayOverlap('ct', target === undefined ? [] : [target])),
        ),
      ),
    );
  return paginate(q, page, { sort: 'c.id', id: 'c.id', sortOf: (r) => r.id, idOf: (r) => r.id, direction: 'desc' });
}

/** Every campaign (any state) with a target that may overlap one of these, with those target rows. */
export async function campaignTargetsOverlapping(executor: Executor, targets: readonly ScanTarget[]): Promise<CampaignTargetRow[]> {
  return t(executor).selectFrom('scanning_campaign_target as ct').selectAll('ct').where(mayOverlap('ct', targets)).execute();
}

/** Non-final campaigns that touch an asset. */
export async function liveCampaignsOnAsset(executor: Executor, assetId: string): Promise<CampaignRow[]> {
  return t(executor)
    .selectFrom('scanning_campaign as c')
    .innerJoin('scanning_campaign_asset as a', 'a.campaign_id', 'c.id')
    .selectAll('c')
    .where('a.asset_id', '=', assetId)
    .where('c.state', 'in', ['planned', 'active'])
    .execute();
}

export async function insertStopRequest(executor: Executor, row: StopRequestRow): Promise<void> {
  await t(executor).insertInto('scanning_stop_request').values(row).execute();
}

export async function stopRequestsOf(executor: Executor, campaignIds: readonly string[]): Promise<StopRequestRow[]> {
  if (campaignIds.length === 0) return [];
  return t(executor)
    .selectFrom('scanning_stop_request')
    .selectAll()
    .where('campaign_id', 'in', [...campaignIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The package keys of campaigns whose window had opened by `to` and had not closed by `from` (stopped ones only if they ran). */
export async function campaignKeysScannedBetween(executor: Executor, from: string, to: string): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('scanning_campaign_target as ct')
    .innerJoin('scanning_campaign as c', 'c.id', 'ct.campaign_id')
    .select('ct.target_key')
    .distinct()
    .where('ct.kind', '=', 'package')
    .where('c.window_start', '<=', to)
    .where('c.window_end', '>', from)
    // A campaign stopped before its window opened scanned nothing.
    .where((eb) => eb.or([eb('c.state', '!=', 'stopped'), eb('c.state_changed_at', '>', eb.ref('c.window_start'))]))
    .execute();
  return rows.map((r) => r.target_key);
}

import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize, isCoordinator } from '../../identity/index.js';
import { isFinal } from '../domain/campaign.js';
import { CAMPAIGN_STARTED, CAMPAIGN_STOPPED, STOP_REQUESTED, type StopRequestedPayload } from '../events.js';
import { effectiveState, presentStopRequest, type Campaign, type StopRequest } from '../presenters.js';
import * as assets from '../store/assets.js';
import * as campaigns from '../store/campaigns.js';
import * as leases from '../store/leases.js';
import type { CampaignRow, StopRequestRow } from '../store/tables.js';
import { orgOf, userOf, visibleCampaign } from './access.js';
import { CAMPAIGN_LOCK, loadCampaignView, summaryOf } from './campaigns.js';

async function summaryFor(executor: Executor, row: CampaignRow) {
  const [targets, assets] = await Promise.all([campaigns.targetsOf(executor, [row.id]), campaigns.assetsOfCampaigns(executor, [row.id])]);
  return summaryOf(
    row,
    targets.map((t) => t.text),
    [...new Set(assets.map((a) => a.operator_org_id))].sort(),
  );
}

/**
 * Ends a campaign: `stopped` (early, by its owner or the clearinghouse) or `completed` (its window closed).
 * Its leases are released and `scanning.campaign.stopped` tells the parties. Call holding the campaign lock.
 */
async function endCampaign(
  ctx: ServiceContext,
  trx: Executor,
  row: CampaignRow,
  state: 'stopped' | 'completed',
  reason: string | null,
): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await campaigns.setCampaignState(trx, row.id, { state, at, seq: await campaigns.nextSeq(trx), stopReason: reason });
  const released = await leases.endCampaignLeases(trx, row.id, at);
  const summary = await summaryFor(trx, row);
  await ctx.events.emit(trx, {
    type: CAMPAIGN_STOPPED,
    subjectId: row.id,
    orgId: row.owner_org_id,
    payload: { ...summary, state, reason, releasedLeaseIds: released },
  });
  await ctx.audit.record(trx, ctx.actor, {
    action: state === 'stopped' ? 'scanning.campaign.stop' : 'scanning.campaign.complete',
    subject: { type: 'campaign', id: row.id },
    orgId: row.owner_org_id,
    diff: { state: [row.state, state], reason, releasedLeases: released.length },
  });
}

/**
 * Stops a campaign before its window closes: its owner's analysts and admins, or the coordinator's. The
 * leases it holds are released at once.
 *
 * @throws NotFoundError when the caller may not see it; ConflictError `campaign-ended` when it had ended.
 */
export async function stopCampaign(
  ctx: ServiceContext,
  id: string,
  input: { readonly reason?: string | undefined } = {},
): Promise<Campaign> {
  const visible = await visibleCampaign(ctx, id);
  authorize(ctx.actor, 'scanning.campaign.stop', { ownerOrgId: visible.owner_org_id });
  const reason = input.reason?.trim() || null;
  if (reason !== null && reason.length > 1000)
    throw new InputError('reason must be at most 1000 characters', [{ pointer: '/reason', detail: 'must be at most 1000 characters' }]);
  const row = await withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, CAMPAIGN_LOCK);
    const current = (await campaigns.findCampaign(trx, id)) as CampaignRow;
    const state = effectiveState(current, ctx.clock.now());
    if (isFinal(state))
      throw new ConflictError(`campaign ${id} has ${state === 'stopped' ? 'been stopped' : 'completed'} already`, {
        code: 'campaign-ended',
      });
    await endCampaign(ctx, trx, current, 'stopped', reason);
    return (await campaigns.findCampaign(trx, id)) as CampaignRow;
  });
  return loadCampaignView(ctx.db.kysely, row, ctx.clock.now());
}

/** Records a stop request and tells the campaign's owner at once (`scanning.stop.requested`). */
export async function recordStopRequest(
  ctx: ServiceContext,
  trx: Executor,
  row: CampaignRow,
  request: Omit<StopRequestRow, 'id' | 'campaign_id' | 'created_at'> & { readonly assetName: string | null },
): Promise<StopRequestRow> {
  const { assetName, ...fields } = request;
  const stop: StopRequestRow = { id: newId('stp'), campaign_id: row.id, created_at: ctx.clock.now().toISOString(), ...fields };
  await campaigns.insertStopRequest(trx, stop);
  const payload: StopRequestedPayload = {
    stopRequestId: stop.id,
    campaignId: row.id,
    campaignName: row.name,
    source: stop.source as StopRequestedPayload['source'],
    requesterOrgId: stop.requester_org_id,
    assetId: stop.asset_id,
    assetName,
    blackoutId: stop.blackout_id,
    reason: stop.reason,
    stopContact: JSON.parse(row.stop_contact) as Record<string, string>,
    requestedAt: stop.created_at,
  };
  await ctx.events.emit(trx, { type: STOP_REQUESTED, subjectId: row.id, orgId: row.owner_org_id, payload });
  await ctx.audit.record(trx, ctx.actor, {
    action: 'scanning.stop.request',
    subject: { type: 'campaign', id: row.id },
    orgId: row.owner_org_id,
    diff: { stopRequest: stop.id, source: stop.source, asset: stop.asset_id, blackout: stop.blackout_id, reason: stop.reason },
  });
  return stop;
}

/**
 * Asks a campaign to stop: the coordinator, or an operator whose declared asset the campaign touches
 * (naming it, when it has several). Recorded, and delivered at once to the campaign's owner and stop contact
 * through the `scanning.stop.requested` event; the owner stops the campaign.
 *
 * @throws NotFoundError when the caller may not see the campaign; NotAllowedError for an operator whose
 * assets it does not touch; ConflictError `campaign-ended` when it has ended.
 */
export async function requestStop(
  ctx: ServiceContext,
  id: string,
  input: { readonly reason: string; readonly assetId?: string | undefined },
): Promise<StopRequest> {
  const user = userOf(ctx);
  await visibleCampaign(ctx, id);
  authorize(ctx.actor, 'scanning.stop.request');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '' || reason.length > 1000)
    throw new InputError('reason is required (at most 1000 characters)', [
      { pointer: '/reason', detail: 'is required, at most 1000 characters' },
    ]);
  const touched = await campaigns.assetsOfCampaigns(ctx.db.kysely, [id]);
  const coordinator = isCoordinator(ctx.actor);
  const own = touched.filter(
    (a) => a.operator_org_id === orgOf(ctx.actor) && (input.assetId === undefined || a.asset_id === input.assetId),
  );
  if (!coordinator && own.length === 0) {
    throw new NotAllowedError(
      `campaign ${id} touches no asset your organisation declared${input.assetId === undefined ? '' : ` (${input.assetId})`}`,
    );
  }
  if (coordinator && input.assetId !== undefined && !touched.some((a) => a.asset_id === input.assetId)) {
    throw new InputError(`campaign ${id} does not touch asset ${input.assetId}`, [
      { pointer: '/assetId', detail: 'must be an asset the campaign touches' },
    ]);
  }
  const assetId = input.assetId ?? (coordinator ? null : (own[0]?.asset_id ?? null));
  const stop = await withTransaction(ctx.db, async (trx) => {
    const current = (await campaigns.findCampaign(trx, id)) as CampaignRow;
    const state = effectiveState(current, ctx.clock.now());
    if (isFinal(state))
      throw new ConflictError(`campaign ${id} has ended (${state}); there is nothing to stop`, { code: 'campaign-ended' });
    const assetName = assetId === null ? null : ((await assets.findAsset(trx, assetId))?.name ?? null);
    return recordStopRequest(ctx, trx, current, {
      source: coordinator ? 'coordinator' : 'operator',
      requester_org_id: user.orgId,
      requester_user_id: user.userId,
      asset_id: assetId,
      blackout_id: null,
      reason,
      assetName,
    });
  });
  return presentStopRequest(stop);
}

/**
 * Moves campaigns along with the clock: planned ones whose window opened become active
 * (`scanning.campaign.started`), those whose window closed complete (`scanning.campaign.stopped`, state
 * `completed`, leases released). Idempotent; run every minute by the job runner. Returns how many moved.
 */
export async function advanceCampaigns(ctx: ServiceContext): Promise<{ readonly started: number; readonly completed: number }> {
  const now = ctx.clock.now();
  let started = 0;
  let completed = 0;
  for (;;) {
    const due = await campaigns.campaignsDueByTime(ctx.db.kysely, now.toISOString(), 200);
    if (due.length === 0) break;
    for (const candidate of due) {
      await withTransaction(ctx.db, async (trx) => {
        await serializeOn(trx, ctx.db.caps, CAMPAIGN_LOCK);
        const row = await campaigns.findCampaign(trx, candidate.id);
        if (row === undefined || isFinal(row.state as never)) return;
        const state = effectiveState(row, now);
        if (state === row.state) return;
        if (state === 'completed') {
          await endCampaign(ctx, trx, row, 'completed', null);
          completed++;
          return;
        }
        await campaigns.setCampaignState(trx, row.id, { state: 'active', at: now.toISOString(), seq: await campaigns.nextSeq(trx) });
        await ctx.events.emit(trx, {
          type: CAMPAIGN_STARTED,
          subjectId: row.id,
          orgId: row.owner_org_id,
          payload: await summaryFor(trx, row),
        });
        await ctx.audit.record(trx, ctx.actor, {
          action: 'scanning.campaign.start',
          subject: { type: 'campaign', id: row.id },
          orgId: row.owner_org_id,
          diff: { state: ['planned', 'active'] },
        });
        started++;
      });
    }
    if (due.length < 200) break;
  }
  return { started, completed };
}

import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize, setRecipients } from '../../identity/index.js';
import { footprintOf, isActiveCampaign, stateByTime, type CampaignState } from '../domain/campaign.js';
import type { CampaignConflict, CampaignFootprint } from '../domain/campaign-conflicts.js';
import { readScanTarget } from '../domain/scan-target.js';
import { evaluateActiveCampaign, type PolicyViolation } from '../domain/scan-policy.js';
import { isTechnique } from '../domain/techniques.js';
import {
  CAMPAIGN_CONFLICTED,
  CAMPAIGN_REGISTERED,
  CAMPAIGN_STARTED,
  type CampaignConflictedPayload,
  type CampaignSummary,
} from '../events.js';
import { presentCampaign, presentConflict, type Campaign, type ConflictView } from '../presenters.js';
import * as campaigns from '../store/campaigns.js';
import type { CampaignRow } from '../store/tables.js';
import { targetColumns } from '../store/target-columns.js';
import { campaignRecords, coordinatorOrgIds, organisationMaySee, userOf, visibleCampaign } from './access.js';
import { assetsReachedBy } from './asset-policies.js';
import { readCampaignInput, type CampaignInput } from './campaign-input.js';
import { conflictPartners, presentConflicts } from './conflict-views.js';
import { campaignIndexOf, footprintOfRow } from './overlap-cache.js';
import { softwareVocabulary } from './vocabulary.js';

/** Campaign registrations and state changes take this lock: change numbers and deconfliction stay in order. */
export const CAMPAIGN_LOCK = 'scanning.campaigns';

export interface RegisteredCampaign {
  readonly campaign: Campaign;
  /** Other planned or active campaigns it overlaps, as far as the caller may see them. */
  readonly conflicts: readonly ConflictView[];
}

/** What a policy refusal says: each rule of each asset (or the network target no operator declared). */
export interface ViolationView {
  readonly rule: string;
  readonly target: string | null;
  readonly assetId: string | null;
  readonly assetName: string | null;
  readonly operatorOrgId: string | null;
  readonly detail: string;
}

export function summaryOf(row: CampaignRow, targets: readonly string[], operatorOrgIds: readonly string[]): CampaignSummary {
  return {
    campaignId: row.id,
    orgId: row.owner_org_id,
    name: row.name,
    technique: row.technique,
    active: row.active === 1,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    targets,
    operatorOrgIds,
    tlp: row.tlp,
  };
}

/** A campaign with its parts, as the caller sees it. */
export async function loadCampaignView(executor: Executor, row: CampaignRow, now: Date): Promise<Campaign> {
  const [targets, assets, stopRequests] = await Promise.all([
    campaigns.targetsOf(executor, [row.id]),
    campaigns.assetsOfCampaigns(executor, [row.id]),
    campaigns.stopRequestsOf(executor, [row.id]),
  ]);
  return presentCampaign(row, { targets, assets, stopRequests }, now);
}

function refuse(violations: readonly ViolationView[]): never {
  const first = violations[0] as ViolationView;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  throw new ConflictError(`the campaign violates a scan policy: ${first.detail}${more}`, {
    code: 'scan-policy-violation',
    extensions: { violations },
  });
}

async function emitConflicts(
  ctx: ServiceContext,
  trx: Executor,
  row: CampaignRow,
  footprint: CampaignFootprint,
  conflicts: readonly CampaignConflict[],
): Promise<void> {
  if (conflicts.length === 0) return;
  const { rows, records } = await conflictPartners(trx, conflicts);
  const own = (await campaignRecords(trx, [row])).get(row.id);
  const now = ctx.clock.now();
  for (const conflict of conflicts) {
    const other = rows.get(conflict.other.id);
    const otherRecord = records.get(conflict.other.id);
    if (other === undefined || otherRecord === undefined || own === undefined) continue;
    const tell = async (campaignId: string, orgId: string, view: ConflictView, targets: { target: string; overlap: string }[]) => {
      const payload: CampaignConflictedPayload = {
        campaignId,
        reason: conflict.reason,
        technique: view.technique,
        during: view.during,
        targets,
        other: view.campaign === null ? null : { campaignId: view.campaign.id, orgId: view.campaign.orgId, name: view.campaign.name },
      };
      await ctx.events.emit(trx, { type: CAMPAIGN_CONFLICTED, subjectId: campaignId, orgId, payload });
    };
    // The new campaign's owner learns of the other as far as the other's label allows, and the other way round.
    const forNew = presentConflict(conflict, other, organisationMaySee(row.owner_org_id, otherRecord), now);
    await tell(
      row.id,
      row.owner_org_id,
      forNew,
      conflict.pairs.map((p) => ({ target: p.ours.text, overlap: p.overlap.detail })),
    );
    const mirrored: CampaignConflict = {
      other: footprint,
      reason: conflict.reason,
      during: conflict.during,
      pairs: conflict.pairs.map((p) => ({ ours: p.theirs, theirs: p.ours, overlap: p.overlap })),
    };
    const forOther = presentConflict(mirrored, row, organisationMaySee(other.owner_org_id, own), now);
    await tell(
      other.id,
      other.owner_org_id,
      forOther,
      mirrored.pairs.map((p) => ({ target: p.ours.text, overlap: p.overlap.detail })),
    );
  }
}

/**
 * Registers a campaign for the caller's organisation. Network targets must lie within assets operators
 * declared; an active campaign must satisfy the policy of every asset it touches (consent, standing
 * consents, blackouts, never-actively-scan) — a violation refuses it naming the asset and the rule. Then
 * it is deconflicted against every planned and active campaign: the answer lists the overlaps as far as the
 * caller may see them, and each party is told by a `scanning.campaign.conflicted` event.
 *
 * @throws InputError naming each bad field; ConflictError `scan-policy-violation` with `violations`.
 */
export async function registerCampaign(ctx: ServiceContext, input: CampaignInput): Promise<RegisteredCampaign> {
  const user = userOf(ctx);
  authorize(ctx.actor, 'scanning.campaign.register');
  const now = ctx.clock.now();
  const plan = readCampaignInput(input, now);
  const active = isActiveCampaign(plan);
  const coordinators = await coordinatorOrgIds(ctx);
  const outcome = await withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, CAMPAIGN_LOCK);
    const reach = await assetsReachedBy(trx, plan.targets);
    const violations: ViolationView[] = reach.undeclared.map((t) => ({
      rule: 'undeclared-network-target',
      target: t.text,
      assetId: null,
      assetName: null,
      operatorOrgId: null,
      detail: `${t.text} is not within the assets any registered operator declared; network targets must be`,
    }));
    if (active) {
      const found: PolicyViolation[] = evaluateActiveCampaign(
        { orgId: user.orgId, technique: plan.technique, window: plan.window, intensity: plan.intensity },
        reach.touched.map((a) => a.policy),
      );
      for (const v of found) {
        const target = reach.byTarget.get(v.assetId)?.[0]?.text ?? null;
        violations.push({
          rule: v.rule,
          target,
          assetId: v.assetId,
          assetName: v.assetName,
          operatorOrgId: v.operatorOrgId,
          detail: v.detail,
        });
      }
    }
    if (violations.length > 0) refuse(violations);

    const id = newId('cmp');
    const state: CampaignState = stateByTime(plan.window, now.getTime()) === 'active' ? 'active' : 'planned';
    const at = now.toISOString();
    const row: CampaignRow = {
      id,
      owner_org_id: user.orgId,
      created_by: user.userId,
      tlp: plan.tlp,
      name: plan.name,
      tool_name: plan.tool.name,
      tool_version: plan.tool.version,
      ai_assisted: plan.aiAssisted ? 1 : 0,
      model_name: plan.model?.name ?? null,
      model_version: plan.model?.version ?? null,
      technique: plan.technique,
      active: active ? 1 : 0,
      window_start: new Date(plan.window.startMs).toISOString(),
      window_end: new Date(plan.window.endMs).toISOString(),
      requests_per_second: plan.intensity?.requestsPerSecond ?? null,
      concurrency: plan.intensity?.concurrency ?? null,
      stop_contact: JSON.stringify(plan.stopContact),
      state,
      state_changed_at: at,
      stop_reason: null,
      seq: await campaigns.nextSeq(trx),
      created_at: at,
    };
    const targetRows = plan.targets.map((target, position) => ({
      campaign_id: id,
      position,
      input: plan.scope[position]?.target.trim() ?? target.text,
      versions: plan.scope[position]?.versions ?? null,
      ...targetColumns(target),
    }));
    const assetRows = reach.touched.map((a) => ({ campaign_id: id, asset_id: a.row.id, operator_org_id: a.row.owner_org_id }));
    await campaigns.insertCampaign(trx, row, targetRows, assetRows);
    const operatorOrgIds = [...new Set(assetRows.map((a) => a.operator_org_id))].sort();
    await setRecipients(trx, id, { orgIds: [...new Set([...coordinators, ...operatorOrgIds])].filter((o) => o !== user.orgId) });

    const cache = campaignIndexOf(ctx.db);
    await cache.refresh(trx);
    const footprint = footprintOf({
      id,
      orgId: user.orgId,
      technique: plan.technique,
      window: plan.window,
      targets: plan.targets,
      intensity: plan.intensity,
    });
    const conflicts = cache.index.conflictsWith(footprint);

    const summary = summaryOf(
      row,
      plan.targets.map((t) => t.text),
      operatorOrgIds,
    );
    await ctx.events.emit(trx, { type: CAMPAIGN_REGISTERED, subjectId: id, orgId: user.orgId, payload: { ...summary, state } });
    if (state === 'active') await ctx.events.emit(trx, { type: CAMPAIGN_STARTED, subjectId: id, orgId: user.orgId, payload: summary });
    await emitConflicts(ctx, trx, row, footprint, conflicts);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.campaign.register',
      subject: { type: 'campaign', id },
      orgId: user.orgId,
      diff: {
        name: plan.name,
        technique: plan.technique,
        active,
        window: { start: row.window_start, end: row.window_end },
        targets: plan.targets.map((t) => t.text),
        operators: operatorOrgIds,
        conflicts: conflicts.length,
      },
    });
    return { row, conflicts };
  });
  // The index learns of the campaign from its change number on next use (here or in another process).
  return {
    campaign: await loadCampaignView(ctx.db.kysely, outcome.row, now),
    conflicts: await presentConflicts(ctx, ctx.db.kysely, outcome.conflicts),
  };
}

/** One campaign, if the caller may see it (404 otherwise). */
export async function getCampaign(ctx: ServiceContext, id: string): Promise<Campaign> {
  const row = await visibleCampaign(ctx, id);
  return loadCampaignView(ctx.db.kysely, row, ctx.clock.now());
}

export interface CampaignQuery extends PageRequest {
  readonly state?: string | undefined;
  readonly orgId?: string | undefined;
  readonly technique?: string | undefined;
  /** Campaigns with a target overlapping this one. */
  readonly target?: string | undefined;
}

/** Campaigns the caller may see, newest first, filtered in SQL by the access policy. */
export async function listCampaigns(ctx: ServiceContext, query: CampaignQuery): Promise<Page<Campaign>> {
  const issues = [];
  if (query.technique !== undefined && !isTechnique(query.technique))
    issues.push({ pointer: '/technique', detail: 'must be one of source_review, sast, fuzzing, dynamic, network' });
  if (query.state !== undefined && !['planned', 'active', 'completed', 'stopped'].includes(query.state))
    issues.push({ pointer: '/state', detail: 'must be one of planned, active, completed, stopped' });
  const target = query.target === undefined ? undefined : readScanTarget(query.target, softwareVocabulary);
  if (target !== undefined && !target.ok) issues.push({ pointer: '/target', detail: target.reason });
  if (issues.length > 0) throw new InputError(issues.map((i) => `${i.pointer} ${i.detail}`).join('; '), issues);
  const page = await campaigns.listVisibleCampaigns(
    ctx.db.kysely,
    ctx.actor,
    { state: query.state, orgId: query.orgId, technique: query.technique, target: target?.ok ? target.target : undefined },
    query,
  );
  const ids = page.items.map((r) => r.id);
  const [targets, assets, stops] = await Promise.all([
    campaigns.targetsOf(ctx.db.kysely, ids),
    campaigns.assetsOfCampaigns(ctx.db.kysely, ids),
    campaigns.stopRequestsOf(ctx.db.kysely, ids),
  ]);
  const now = ctx.clock.now();
  return {
    items: page.items.map((row) =>
      presentCampaign(
        row,
        {
          targets: targets.filter((t) => t.campaign_id === row.id),
          assets: assets.filter((a) => a.campaign_id === row.id),
          stopRequests: stops.filter((s) => s.campaign_id === row.id),
        },
        now,
      ),
    ),
    nextCursor: page.nextCursor,
  };
}

/** Deconfliction on demand: the planned and active campaigns one visible campaign overlaps now. */
export async function campaignConflicts(ctx: ServiceContext, id: string): Promise<ConflictView[]> {
  const row = await visibleCampaign(ctx, id);
  const cache = campaignIndexOf(ctx.db);
  await cache.refresh(ctx.db.kysely);
  const targets = await campaigns.targetsOf(ctx.db.kysely, [row.id]);
  return presentConflicts(ctx, ctx.db.kysely, cache.index.conflictsWith(footprintOfRow(row, targets)));
}

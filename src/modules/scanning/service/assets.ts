import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction } from '../../../platform/db/index.js';
import { InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { isTimeZone } from '../../../platform/zoned-time.js';
import { authorize, holds } from '../../identity/index.js';
import { ACTIVE_SCANNING_RULES, checkAssetPolicy } from '../domain/scan-policy.js';
import { readScanTarget, type ScanTarget } from '../domain/scan-target.js';
import { isTechnique, type Technique } from '../domain/techniques.js';
import { checkWindow, firstCollision, describeOccurrence, describeWindow, type WindowSpec, WEEKDAYS } from '../domain/time-window.js';
import { effectiveState, presentAsset, presentStopRequest, type BlackoutAdded, type ScanAsset, type StopRequest } from '../presenters.js';
import * as assets from '../store/assets.js';
import * as campaigns from '../store/campaigns.js';
import type { AssetRow, BlackoutRow, ConsentRow } from '../store/tables.js';
import { targetColumns } from '../store/target-columns.js';
import { orgOf, userOf } from './access.js';
import { loadAssets, type LoadedAsset } from './asset-policies.js';
import { recordStopRequest } from './campaign-lifecycle.js';
import { CAMPAIGN_LOCK } from './campaigns.js';
import { softwareVocabulary } from './vocabulary.js';

/**
 * Operators' assets as scan policy knows them: what they are (host names, CIDR blocks, products), in which
 * time zone they keep their hours, whether active scanning needs consent (the default), is allowed, or must
 * never happen; standing consents; blackout windows. A new blackout that collides with a campaign touching
 * the asset sends that campaign a stop request.
 */

export interface AssetInput {
  readonly name: string;
  /** IANA zone the asset's windows are kept in. */
  readonly timeZone: string;
  /** Host names (`*.grid.example` for all below), CIDR blocks, products (CPE, `product:vendor/name`, purl). */
  readonly targets: readonly string[];
  readonly activeScanning?: string | undefined;
  /** Admins acting for an operator (coordinators) name it; operators declare their own. */
  readonly orgId?: string | undefined;
}

export interface ConsentInput {
  readonly scannerOrgId: string;
  readonly techniques: readonly string[];
  readonly window?: WindowSpec | null | undefined;
  readonly maxIntensity: { readonly requestsPerSecond: number; readonly concurrency: number };
}

export interface BlackoutInput {
  readonly reason: string;
  readonly window: WindowSpec;
}

function fail(issues: readonly FieldIssue[], summary: string): never {
  throw new InputError(`${summary}: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
}

function readAssetTargets(texts: readonly string[], issues: FieldIssue[]): ScanTarget[] {
  const out: ScanTarget[] = [];
  if (!Array.isArray(texts) || texts.length === 0)
    issues.push({ pointer: '/targets', detail: 'must list at least one host name, CIDR block or product' });
  else if (texts.length > 1000) issues.push({ pointer: '/targets', detail: 'must list at most 1000 targets' });
  (Array.isArray(texts) ? texts.slice(0, 1000) : []).forEach((text, i) => {
    const read = readScanTarget(String(text), softwareVocabulary);
    if (!read.ok) issues.push({ pointer: `/targets/${i}`, detail: read.reason });
    else if (read.target.kind === 'repository')
      issues.push({ pointer: `/targets/${i}`, detail: 'a repository is not an asset; declare the product or package it runs' });
    else out.push(read.target);
  });
  return out;
}

/** The asset, if the caller may see it: its operator's members and the coordinator (404 otherwise). */
async function visibleAsset(ctx: ServiceContext, id: string): Promise<LoadedAsset> {
  const [asset] = await loadAssets(ctx.db.kysely, [id]);
  if (asset === undefined || !(asset.row.owner_org_id === orgOf(ctx.actor) || holds(ctx.actor, 'scanning.asset.list'))) {
    throw new NotFoundError(`no asset ${id}`);
  }
  return asset;
}

async function managedAsset(ctx: ServiceContext, id: string): Promise<LoadedAsset> {
  const asset = await visibleAsset(ctx, id);
  authorize(ctx.actor, 'scanning.asset.manage', { ownerOrgId: asset.row.owner_org_id });
  return asset;
}

/** Declares an asset for the caller's operator (a coordinator names the operator with `orgId`). */
export async function declareAsset(ctx: ServiceContext, input: AssetInput): Promise<ScanAsset> {
  const user = userOf(ctx);
  const orgId = input.orgId ?? user.orgId;
  authorize(ctx.actor, 'scanning.asset.manage', { ownerOrgId: orgId });
  const issues: FieldIssue[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || name.length > 200) issues.push({ pointer: '/name', detail: 'is required, at most 200 characters' });
  if (typeof input.timeZone !== 'string' || !isTimeZone(input.timeZone))
    issues.push({ pointer: '/timeZone', detail: 'must be an IANA time zone such as America/Chicago' });
  const rule = input.activeScanning ?? 'consent-required';
  if (!(ACTIVE_SCANNING_RULES as readonly string[]).includes(rule))
    issues.push({ pointer: '/activeScanning', detail: `must be one of ${ACTIVE_SCANNING_RULES.join(', ')}` });
  const targets = readAssetTargets(input.targets, issues);
  if (issues.length > 0) fail(issues, 'the asset is invalid');
  const now = ctx.clock.now().toISOString();
  const row: AssetRow = {
    id: newId('sas'),
    owner_org_id: orgId,
    created_by: user.userId,
    name,
    time_zone: input.timeZone,
    active_scanning: rule,
    created_at: now,
    updated_at: now,
  };
  await withTransaction(ctx.db, async (trx) => {
    await assets.insertAsset(
      trx,
      row,
      targets.map((t, position) => ({ asset_id: row.id, position, ...targetColumns(t) })),
    );
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.asset.declare',
      subject: { type: 'scan-asset', id: row.id },
      orgId,
      diff: { name, timeZone: input.timeZone, activeScanning: rule, targets: targets.map((t) => t.text) },
    });
  });
  return getAsset(ctx, row.id);
}

/** Changes an asset's name, zone, active-scanning rule or targets (what is given). */
export async function updateAsset(ctx: ServiceContext, id: string, input: Partial<Omit<AssetInput, 'orgId'>>): Promise<ScanAsset> {
  const asset = await managedAsset(ctx, id);
  const issues: FieldIssue[] = [];
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > 200))
    issues.push({ pointer: '/name', detail: 'must be 1–200 characters' });
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone))
    issues.push({ pointer: '/timeZone', detail: 'must be an IANA time zone such as America/Chicago' });
  if (input.activeScanning !== undefined && !(ACTIVE_SCANNING_RULES as readonly string[]).includes(input.activeScanning))
    issues.push({ pointer: '/activeScanning', detail: `must be one of ${ACTIVE_SCANNING_RULES.join(', ')}` });
  const targets = input.targets === undefined ? undefined : readAssetTargets(input.targets, issues);
  const zone = input.timeZone ?? asset.row.time_zone;
  const broken = checkAssetPolicy({ timeZone: zone, consents: asset.policy.consents, blackouts: asset.policy.blackouts });
  if (broken !== null) issues.push({ pointer: `/${broken.field}`, detail: broken.rule });
  if (issues.length > 0) fail(issues, 'the asset change is invalid');
  await withTransaction(ctx.db, async (trx) => {
    await assets.updateAsset(
      trx,
      id,
      {
        ...(input.name === undefined ? {} : { name: input.name.trim() }),
        ...(input.timeZone === undefined ? {} : { time_zone: input.timeZone }),
        ...(input.activeScanning === undefined ? {} : { active_scanning: input.activeScanning }),
        updated_at: ctx.clock.now().toISOString(),
      },
      targets?.map((t, position) => ({ asset_id: id, position, ...targetColumns(t) })),
    );
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.asset.update',
      subject: { type: 'scan-asset', id },
      orgId: asset.row.owner_org_id,
      diff: { name: input.name, timeZone: input.timeZone, activeScanning: input.activeScanning, targets: targets?.map((t) => t.text) },
    });
  });
  return getAsset(ctx, id);
}

export async function getAsset(ctx: ServiceContext, id: string): Promise<ScanAsset> {
  return presentAsset(await visibleAsset(ctx, id));
}

/** The caller's operator's assets; the coordinator's members see every operator's (or one, by `orgId`). */
export async function listAssets(ctx: ServiceContext, query: { readonly orgId?: string | undefined } = {}): Promise<ScanAsset[]> {
  const all = holds(ctx.actor, 'scanning.asset.list');
  const own = orgOf(ctx.actor);
  const orgId = all ? (query.orgId ?? null) : own;
  if (!all && own === null) return [];
  if (!all && query.orgId !== undefined && query.orgId !== own) return [];
  const rows = await assets.listAssets(ctx.db.kysely, orgId);
  return (
    await loadAssets(
      ctx.db.kysely,
      rows.map((r) => r.id),
    )
  ).map(presentAsset);
}

function readWindow(window: WindowSpec | null | undefined, zone: string, pointer: string, issues: FieldIssue[]): void {
  if (window === undefined || window === null) return;
  if (window.kind !== 'once' && window.kind !== 'weekly') {
    issues.push({ pointer: `${pointer}/kind`, detail: 'must be once or weekly' });
    return;
  }
  if (window.kind === 'weekly' && (!Array.isArray(window.days) || window.days.some((d) => !(WEEKDAYS as readonly string[]).includes(d)))) {
    issues.push({ pointer: `${pointer}/days`, detail: `must list weekdays among ${WEEKDAYS.join(', ')}` });
    return;
  }
  const bad = checkWindow(window, zone);
  if (bad !== null) issues.push({ pointer: `${pointer}/${bad.field}`, detail: bad.rule });
}

/** Gives a scanner organisation a standing consent to scan the asset actively. */
export async function addConsent(ctx: ServiceContext, assetId: string, input: ConsentInput): Promise<ScanAsset> {
  const asset = await managedAsset(ctx, assetId);
  const issues: FieldIssue[] = [];
  if (typeof input.scannerOrgId !== 'string' || input.scannerOrgId === '') issues.push({ pointer: '/scannerOrgId', detail: 'is required' });
  const techniques = Array.isArray(input.techniques) ? input.techniques : [];
  if (techniques.length === 0 || techniques.some((t) => !isTechnique(t)))
    issues.push({ pointer: '/techniques', detail: 'must list techniques among fuzzing, dynamic, network' });
  readWindow(input.window, asset.row.time_zone, '/window', issues);
  const rps = input.maxIntensity?.requestsPerSecond;
  const conc = input.maxIntensity?.concurrency;
  if (typeof rps !== 'number' || !(rps > 0))
    issues.push({ pointer: '/maxIntensity/requestsPerSecond', detail: 'must be a number above 0' });
  if (!Number.isInteger(conc) || conc < 1)
    issues.push({ pointer: '/maxIntensity/concurrency', detail: 'must be a whole number of at least 1' });
  if (issues.length > 0) fail(issues, 'the consent is invalid');
  const row: ConsentRow = {
    id: newId('cns'),
    asset_id: assetId,
    scanner_org_id: input.scannerOrgId,
    techniques: JSON.stringify([...new Set(techniques as Technique[])]),
    window: input.window === undefined || input.window === null ? null : JSON.stringify(input.window),
    max_requests_per_second: rps,
    max_concurrency: conc,
    created_by: userOf(ctx).userId,
    created_at: ctx.clock.now().toISOString(),
  };
  await withTransaction(ctx.db, async (trx) => {
    await assets.insertConsent(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.consent.add',
      subject: { type: 'scan-asset', id: assetId },
      orgId: asset.row.owner_org_id,
      diff: { consent: row.id, scanner: row.scanner_org_id, techniques },
    });
  });
  return getAsset(ctx, assetId);
}

export async function removeConsent(ctx: ServiceContext, assetId: string, consentId: string): Promise<ScanAsset> {
  const asset = await managedAsset(ctx, assetId);
  await withTransaction(ctx.db, async (trx) => {
    if (!(await assets.deleteConsent(trx, assetId, consentId))) throw new NotFoundError(`no consent ${consentId} on asset ${assetId}`);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.consent.remove',
      subject: { type: 'scan-asset', id: assetId },
      orgId: asset.row.owner_org_id,
      diff: { consent: consentId },
    });
  });
  return getAsset(ctx, assetId);
}

/**
 * Adds a blackout window. Every planned or active campaign touching the asset whose remaining window meets
 * the blackout is sent a stop request at once, naming the asset, the blackout and the colliding times.
 */
export async function addBlackout(ctx: ServiceContext, assetId: string, input: BlackoutInput): Promise<BlackoutAdded> {
  const user = userOf(ctx);
  const asset = await managedAsset(ctx, assetId);
  const issues: FieldIssue[] = [];
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length > 500) issues.push({ pointer: '/reason', detail: 'must be at most 500 characters' });
  if (input.window === undefined || input.window === null) issues.push({ pointer: '/window', detail: 'is required' });
  else readWindow(input.window, asset.row.time_zone, '/window', issues);
  if (issues.length > 0) fail(issues, 'the blackout is invalid');
  const now = ctx.clock.now();
  const row: BlackoutRow = {
    id: newId('blk'),
    asset_id: assetId,
    reason,
    window: JSON.stringify(input.window),
    created_by: user.userId,
    created_at: now.toISOString(),
  };
  const sent = await withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, CAMPAIGN_LOCK);
    await assets.insertBlackout(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.blackout.add',
      subject: { type: 'scan-asset', id: assetId },
      orgId: asset.row.owner_org_id,
      diff: { blackout: row.id, reason, window: input.window },
    });
    const out: (StopRequest & { campaignId: string })[] = [];
    for (const campaign of await campaigns.liveCampaignsOnAsset(trx, assetId)) {
      if (campaign.active !== 1) continue;
      const state = effectiveState(campaign, now);
      if (state !== 'planned' && state !== 'active') continue;
      const remaining = { startMs: Math.max(now.getTime(), Date.parse(campaign.window_start)), endMs: Date.parse(campaign.window_end) };
      const hit = firstCollision(input.window, asset.row.time_zone, remaining);
      if (hit === null) continue;
      const stop = await recordStopRequest(ctx, trx, campaign, {
        source: 'blackout',
        requester_org_id: asset.row.owner_org_id,
        requester_user_id: user.userId,
        asset_id: assetId,
        blackout_id: row.id,
        reason: `asset "${asset.row.name}" is now blacked out ${describeWindow(input.window, asset.row.time_zone)}${reason ? ` (${reason})` : ''}; the campaign's window includes ${describeOccurrence(hit, asset.row.time_zone)}`,
        assetName: asset.row.name,
      });
      out.push({ ...presentStopRequest(stop), campaignId: campaign.id });
    }
    return out;
  });
  return { asset: await getAsset(ctx, assetId), stopRequests: sent };
}

export async function removeBlackout(ctx: ServiceContext, assetId: string, blackoutId: string): Promise<ScanAsset> {
  const asset = await managedAsset(ctx, assetId);
  await withTransaction(ctx.db, async (trx) => {
    if (!(await assets.deleteBlackout(trx, assetId, blackoutId))) throw new NotFoundError(`no blackout ${blackoutId} on asset ${assetId}`);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.blackout.remove',
      subject: { type: 'scan-asset', id: assetId },
      orgId: asset.row.owner_org_id,
      diff: { blackout: blackoutId },
    });
  });
  return getAsset(ctx, assetId);
}

import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize, canSee, getOrg, isCoordinator } from '../../identity/index.js';
import { cidrContains } from '../domain/cidr.js';
import { hostCovers } from '../domain/hostname.js';
import { LEASE_MAX_SECONDS, LEASE_MIN_SECONDS, nextFreeTime } from '../domain/lease-rules.js';
import { readScanTarget, targetClass, targetsOverlap, type ScanTarget } from '../domain/scan-target.js';
import { isTechnique, type Technique } from '../domain/techniques.js';
import { firstCollision } from '../domain/time-window.js';
import { effectiveState, presentLease, presentLeaseOnTarget, type Lease, type LeaseHolder, type LeaseOnTarget } from '../presenters.js';
import * as campaigns from '../store/campaigns.js';
import * as leases from '../store/leases.js';
import type { LeaseRow } from '../store/tables.js';
import { targetColumns } from '../store/target-columns.js';
import { campaignRecords, orgOf, userOf } from './access.js';
import { assetsReachedBy } from './asset-policies.js';
import { storedTarget } from './targets.js';
import { softwareVocabulary } from './vocabulary.js';

/**
 * Leases: a scanner holds a target for a technique for a while, so that two parties do not scan the same
 * thing the same way at once. At most one live lease per (target, technique) — decided by the database (a
 * unique key and a conditional upsert), never by a process's memory — renewable, expiring on its own,
 * released when its campaign ends. A lease on a network target needs an active campaign of the caller's
 * that covers it, and waits out the asset's blackouts.
 */

export interface LeaseClaim {
  /** `pkg:…`, a repository URL, a CIDR block, a host name, `cpe:…`. */
  readonly target: string;
  readonly technique: string;
  readonly seconds: number;
  /** The campaign it is claimed under; required for network targets. */
  readonly campaignId?: string | undefined;
}

function readSeconds(value: unknown, issues: FieldIssue[]): number {
  if (!Number.isInteger(value) || (value as number) < LEASE_MIN_SECONDS || (value as number) > LEASE_MAX_SECONDS) {
    issues.push({ pointer: '/seconds', detail: `must be a whole number from ${LEASE_MIN_SECONDS} to ${LEASE_MAX_SECONDS}` });
    return LEASE_MIN_SECONDS;
  }
  return value as number;
}

/** Who holds a lease, as far as the caller may know: its own organisation, the coordinator, or whoever may see its campaign. */
async function holderFor(ctx: ServiceContext, executor: Executor, lease: LeaseRow): Promise<LeaseHolder> {
  let visible = isCoordinator(ctx.actor) || orgOf(ctx.actor) === lease.owner_org_id;
  if (!visible && lease.campaign_id !== null) {
    const row = await campaigns.findCampaign(executor, lease.campaign_id);
    const record = row === undefined ? undefined : (await campaignRecords(executor, [row])).get(row.id);
    visible = record !== undefined && canSee(ctx.actor, record);
  }
  if (!visible) return { orgId: null, orgName: null, campaignId: null };
  const org = await getOrg({ ...ctx, actor: { kind: 'system', name: 'scanning' } }, lease.owner_org_id).catch(() => null);
  return { orgId: lease.owner_org_id, orgName: org?.name ?? null, campaignId: lease.campaign_id };
}

/** When a network target is next free: the holder's expiry, pushed past the blackouts of the assets it lies in. */
async function nextFreeAt(executor: Executor, target: ScanTarget, fromMs: number): Promise<string> {
  if (targetClass(target) !== 'network') return new Date(fromMs).toISOString();
  const { touched } = await assetsReachedBy(executor, [target]);
  return new Date(
    nextFreeTime(
      fromMs,
      touched.map((a) => ({ timeZone: a.policy.timeZone, blackouts: a.policy.blackouts })),
    ),
  ).toISOString();
}

async function held(ctx: ServiceContext, executor: Executor, target: ScanTarget, lease: LeaseRow): Promise<never> {
  const holder = await holderFor(ctx, executor, lease);
  const nextFree = await nextFreeAt(executor, target, Date.parse(lease.expires_at));
  const who = holder.orgName ?? holder.orgId ?? 'another party';
  const later = nextFree === new Date(Date.parse(lease.expires_at)).toISOString() ? '' : `; next free at ${nextFree} (after a blackout)`;
  throw new ConflictError(`${lease.text} is leased for ${lease.technique} by ${who} until ${lease.expires_at}${later}`, {
    code: 'lease-held',
    extensions: { holder, target: lease.text, technique: lease.technique, expiresAt: lease.expires_at, nextFreeAt: nextFree },
  });
}

/** Checks the campaign a lease is claimed under: the caller's, active, same technique, covering the target. */
async function checkCampaign(ctx: ServiceContext, campaignId: string, target: ScanTarget, technique: Technique): Promise<void> {
  const row = await campaigns.findCampaign(ctx.db.kysely, campaignId);
  const record = row === undefined ? undefined : (await campaignRecords(ctx.db.kysely, [row])).get(row.id);
  if (row === undefined || record === undefined || !canSee(ctx.actor, record)) throw new NotFoundError(`no campaign ${campaignId}`);
  const refuse = (why: string): never => {
    throw new ConflictError(`campaign ${campaignId} ${why}`, { code: 'campaign-does-not-cover' });
  };
  if (row.owner_org_id !== orgOf(ctx.actor)) refuse("is not your organisation's");
  const state = effectiveState(row, ctx.clock.now());
  if (state !== 'active') refuse(`is ${state}, not active`);
  if (row.technique !== technique) refuse(`is registered for ${row.technique}, not ${technique}`);
  const scope = (await campaigns.targetsOf(ctx.db.kysely, [row.id])).map(storedTarget);
  const covers = scope.some((s) => {
    if (s.kind === 'cidr' && target.kind === 'cidr') return cidrContains(s.block, target.block);
    if (s.kind === 'hostname' && target.kind === 'hostname') return hostCovers(s.host, target.host);
    return targetsOverlap(s, target) !== null;
  });
  if (!covers) refuse(`does not cover ${target.text}`);
}

/**
 * Claims a lease. 201 `{id, expiresAt}`; when the target is held for the technique (or, for a network, an
 * overlapping block or name is), ConflictError `lease-held` naming the holder as far as the caller may see
 * it, its expiry and when the target is next free; ConflictError `blackout` when an asset holding the
 * network target is blacked out now.
 */
export async function claimLease(ctx: ServiceContext, input: LeaseClaim): Promise<Lease> {
  const user = userOf(ctx);
  authorize(ctx.actor, 'scanning.lease.claim');
  const issues: FieldIssue[] = [];
  const read =
    typeof input.target === 'string' ? readScanTarget(input.target, softwareVocabulary) : { ok: false as const, reason: 'is required' };
  if (!read.ok) issues.push({ pointer: '/target', detail: read.reason });
  if (!isTechnique(input.technique))
    issues.push({ pointer: '/technique', detail: 'must be one of source_review, sast, fuzzing, dynamic, network' });
  const seconds = readSeconds(input.seconds, issues);
  const network = read.ok && targetClass(read.target) === 'network';
  if (network && input.campaignId === undefined)
    issues.push({ pointer: '/campaignId', detail: 'is required for a network target: lease it under your active campaign that covers it' });
  if (issues.length > 0 || !read.ok || !isTechnique(input.technique))
    throw new InputError(`the lease claim is invalid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  const target = read.target;
  const technique = input.technique;
  if (input.campaignId !== undefined) await checkCampaign(ctx, input.campaignId, target, technique);
  const now = ctx.clock.now();
  if (network) {
    const { touched } = await assetsReachedBy(ctx.db.kysely, [target]);
    for (const asset of touched) {
      for (const blackout of asset.policy.blackouts) {
        const hit = firstCollision(blackout.window, asset.policy.timeZone, { startMs: now.getTime(), endMs: now.getTime() + 1 });
        if (hit === null) continue;
        const nextFree = await nextFreeAt(ctx.db.kysely, target, now.getTime());
        throw new ConflictError(
          `asset "${asset.row.name}" is blacked out until ${new Date(hit.endMs).toISOString()}${blackout.reason ? ` (${blackout.reason})` : ''}`,
          {
            code: 'blackout',
            extensions: {
              assetId: asset.row.id,
              assetName: asset.row.name,
              blackoutId: blackout.id,
              until: new Date(hit.endMs).toISOString(),
              nextFreeAt: nextFree,
            },
          },
        );
      }
    }
  }
  const at = now.toISOString();
  const row: LeaseRow = {
    id: newId('lse'),
    technique,
    owner_org_id: user.orgId,
    created_by: user.userId,
    campaign_id: input.campaignId ?? null,
    claimed_at: at,
    expires_at: new Date(now.getTime() + seconds * 1000).toISOString(),
    released_at: null,
    ...targetColumns(target),
  };
  let claimed: LeaseRow;
  try {
    claimed = await withTransaction(ctx.db, async (trx) => {
      // Nested blocks and names under a wildcard have different keys: claims on live networks of one
      // technique take turns, so that the overlap check below sees every committed claim.
      if (network) await serializeOn(trx, ctx.db.caps, `scanning.lease.network:${technique}`);
      const won = await leases.claimSlot(trx, row, at);
      if (won === undefined) {
        const holder = await leases.findSlot(trx, row.target_key, technique);
        if (holder === undefined) throw new Error(`the lease slot of ${row.target_key} was neither free nor held`);
        throw new SlotHeld(holder);
      }
      if (network) {
        const near = await leases.liveLeasesNear(trx, target, technique, at, row.id);
        const overlapping = near.find((l) => targetsOverlap(storedTarget(l), target) !== null);
        // Thrown, so that the slot just taken is given back with the rest of the transaction.
        if (overlapping !== undefined) throw new SlotHeld(overlapping);
      }
      await ctx.audit.record(trx, ctx.actor, {
        action: 'scanning.lease.claim',
        subject: { type: 'lease', id: row.id },
        orgId: user.orgId,
        diff: { target: row.text, technique, expiresAt: row.expires_at, campaign: row.campaign_id },
      });
      return won;
    });
  } catch (error) {
    if (error instanceof SlotHeld) return held(ctx, ctx.db.kysely, target, error.lease);
    throw error;
  }
  return presentLease(claimed);
}

/** A claim found the target held: thrown inside the claim's transaction so that nothing of it commits. */
class SlotHeld extends Error {
  constructor(readonly lease: LeaseRow) {
    super(`held by lease ${lease.id}`);
  }
}

/** A live lease the caller may act on: its organisation's, or any for the coordinator (404 otherwise). */
async function ownLease(ctx: ServiceContext, id: string): Promise<LeaseRow> {
  const lease = await leases.findLease(ctx.db.kysely, id);
  if (lease === undefined || !(lease.owner_org_id === orgOf(ctx.actor) || isCoordinator(ctx.actor)))
    throw new NotFoundError(`no lease ${id}`);
  authorize(ctx.actor, 'scanning.lease.claim', { ownerOrgId: lease.owner_org_id });
  return lease;
}

function ended(lease: LeaseRow, now: Date): ConflictError {
  const why = lease.released_at !== null ? `was released at ${lease.released_at}` : `expired at ${lease.expires_at}`;
  return new ConflictError(`lease ${lease.id} ${why}; claim the target again`, {
    code: 'lease-ended',
    extensions: { expiresAt: lease.expires_at, releasedAt: lease.released_at, now: now.toISOString() },
  });
}

/** Extends a live lease to `seconds` from now. ConflictError `lease-ended` when it expired or was released. */
export async function renewLease(ctx: ServiceContext, id: string, input: { readonly seconds: number }): Promise<Lease> {
  const lease = await ownLease(ctx, id);
  const issues: FieldIssue[] = [];
  const seconds = readSeconds(input.seconds, issues);
  if (issues.length > 0)
    throw new InputError(`the renewal is invalid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  const now = ctx.clock.now();
  if (lease.campaign_id !== null) {
    const campaign = await campaigns.findCampaign(ctx.db.kysely, lease.campaign_id);
    if (campaign === undefined || effectiveState(campaign, now) !== 'active') {
      throw new ConflictError(`lease ${id} was held under campaign ${lease.campaign_id}, which is no longer active`, {
        code: 'lease-ended',
      });
    }
  }
  const expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
  const renewed = await withTransaction(ctx.db, async (trx) => {
    if (!(await leases.extendLease(trx, id, expiresAt, now.toISOString()))) return false;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.lease.renew',
      subject: { type: 'lease', id },
      orgId: lease.owner_org_id,
      diff: { expiresAt: [lease.expires_at, expiresAt] },
    });
    return true;
  });
  if (!renewed) throw ended((await leases.findLease(ctx.db.kysely, id)) ?? lease, now);
  return presentLease((await leases.findLease(ctx.db.kysely, id)) as LeaseRow);
}

/** Gives a live lease back before it expires. ConflictError `lease-ended` when it had ended. */
export async function releaseLease(ctx: ServiceContext, id: string): Promise<Lease> {
  const lease = await ownLease(ctx, id);
  const now = ctx.clock.now();
  const released = await withTransaction(ctx.db, async (trx) => {
    if (!(await leases.endLease(trx, id, now.toISOString()))) return false;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scanning.lease.release',
      subject: { type: 'lease', id },
      orgId: lease.owner_org_id,
      diff: { released: now.toISOString() },
    });
    return true;
  });
  if (!released) throw ended((await leases.findLease(ctx.db.kysely, id)) ?? lease, now);
  return presentLease((await leases.findLease(ctx.db.kysely, id)) as LeaseRow);
}

/** Live leases on targets overlapping `target` (every technique), each holder as far as the caller may know. */
export async function leasesOn(ctx: ServiceContext, target: ScanTarget): Promise<LeaseOnTarget[]> {
  const now = ctx.clock.now().toISOString();
  const rows = (await leases.liveLeasesNear(ctx.db.kysely, target, null, now)).filter(
    (l) => targetsOverlap(storedTarget(l), target) !== null,
  );
  const out: LeaseOnTarget[] = [];
  for (const row of rows) {
    const holder = await holderFor(ctx, ctx.db.kysely, row);
    const own = isCoordinator(ctx.actor) || orgOf(ctx.actor) === row.owner_org_id;
    out.push(presentLeaseOnTarget(row, holder, own));
  }
  return out;
}

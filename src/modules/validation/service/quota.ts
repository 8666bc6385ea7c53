import { describeActor } from '../../../platform/actor.js';
import { DAY } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { NotFoundError, RateLimitedError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { canSeeOrg, getOrg } from '../../identity/index.js';
import { smoothedPrecision } from '../domain/beta-precision.js';
import { parseQuotaOverride } from '../domain/inputs.js';
import type { ValidationPolicy } from '../domain/policy.js';
import { decideQuota, type QuotaDecision } from '../domain/quota.js';
import { countReportsSince } from '../store/reports.js';
import * as settings from '../store/settings.js';
import { asSystem, requireCoordinatorStaff } from './access.js';
import { precisionsOf } from './placement.js';
import { currentPolicy } from './policy.js';

export interface QuotaStatus extends QuotaDecision {
  /** API submissions in the last 24 hours. */
  readonly usedLast24h: number;
  readonly recentReports: number;
  readonly windowDays: number;
  readonly override: { readonly dailyLimit: number | null; readonly note: string; readonly setBy: string; readonly setAt: string } | null;
}

async function decide(executor: Executor, orgId: string, policy: ValidationPolicy, now: Date): Promise<QuotaStatus> {
  const precision = (await precisionsOf(executor, [orgId], policy.prior)).get(orgId);
  const recentReports = await countReportsSince(executor, orgId, new Date(now.getTime() - policy.quota.windowDays * DAY).toISOString());
  const override = await settings.findOverride(executor, orgId);
  const decision = decideQuota({
    precision: precision ?? smoothedPrecision(0, 0, policy.prior),
    recentReports,
    override: override === undefined ? null : { dailyLimit: override.daily_limit, note: override.note },
    policy: policy.quota,
  });
  const used = await settings.countUsageSince(executor, orgId, new Date(now.getTime() - DAY).toISOString());
  return {
    ...decision,
    usedLast24h: used,
    recentReports,
    windowDays: policy.quota.windowDays,
    override:
      override === undefined
        ? null
        : { dailyLimit: override.daily_limit, note: override.note, setBy: override.set_by, setAt: override.set_at },
  };
}

/** An organisation's quota as it stands (its own members and coordinators read it with its track record). */
export async function quotaStatus(ctx: ServiceContext, orgId: string): Promise<QuotaStatus> {
  const { policy } = await currentPolicy(ctx.db.kysely);
  return decide(ctx.db.kysely, orgId, policy, ctx.clock.now());
}

function waitText(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

/**
 * The intake hook run before every API submission: refuses with RateLimitedError (429, Retry-After) once a
 * reporter under a daily quota has used it, saying why and how the quota is computed, and otherwise counts
 * the submission. Counted per organisation over a rolling 24 hours, serialized across processes. The
 * counter is bookkeeping, not a change of record, so it is not audited: intake audits each submission.
 */
export async function checkSubmissionQuota(ctx: ServiceContext): Promise<void> {
  if (ctx.actor.kind !== 'user') return;
  const orgId = ctx.actor.orgId;
  await withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, `validation.quota:${orgId}`);
    const now = ctx.clock.now();
    const windowStart = new Date(now.getTime() - DAY).toISOString();
    await settings.pruneUsage(trx, orgId, windowStart);
    const { policy } = await currentPolicy(trx);
    const status = await decide(trx, orgId, policy, now);
    const limit = status.dailyLimit;
    if (limit !== null && status.usedLast24h >= limit) {
      const used = await settings.usageSince(trx, orgId, windowStart);
      // Room comes back when the submission that puts the count over the limit leaves the window.
      const pivot = limit === 0 ? undefined : used[used.length - limit];
      const freedAt = (pivot === undefined ? now.getTime() : Date.parse(pivot)) + DAY;
      const retryAfter = Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000));
      throw new RateLimitedError(
        `daily submission quota reached: your organisation made ${status.usedLast24h} API submissions in the last 24 hours and its quota is ${limit}. ` +
          `Why: ${status.explanation}. The quota counts submissions over a rolling 24 hours; the next one is possible in ${waitText(retryAfter)} ` +
          `(${new Date(freedAt).toISOString()}). Submissions that are validated raise your precision and the quota; a coordinator can override it.`,
        retryAfter,
      );
    }
    await settings.recordUsage(trx, newId('vqu'), orgId, now.toISOString());
  });
}

/**
 * A coordinator's quota for one reporter: `dailyLimit` submissions per 24 hours, or null to exempt it,
 * with a note. Audited as `validation.quota.override` with before and after.
 */
/** The reporter organisation, if the actor may see it; NotFoundError otherwise, before any permission is checked. */
async function reporterOrg(ctx: ServiceContext, orgId: string): Promise<void> {
  await getOrg(asSystem(ctx), orgId);
  if (!canSeeOrg(ctx.actor, orgId)) throw new NotFoundError(`no organisation ${orgId}`);
}

export async function setQuotaOverride(ctx: ServiceContext, orgId: string, input: Record<string, unknown>): Promise<QuotaStatus> {
  await reporterOrg(ctx, orgId);
  requireCoordinatorStaff(ctx.actor, 'override quotas');
  const override = parseQuotaOverride(input);
  await withTransaction(ctx.db, async (trx) => {
    const before = await settings.findOverride(trx, orgId);
    await settings.saveOverride(trx, {
      org_id: orgId,
      daily_limit: override.dailyLimit,
      note: override.note,
      set_by: describeActor(ctx.actor),
      set_at: ctx.clock.now().toISOString(),
    });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.quota.override',
      subject: { type: 'org', id: orgId },
      orgId,
      diff: { dailyLimit: [before === undefined ? 'computed' : before.daily_limit, override.dailyLimit], note: override.note },
    });
  });
  return quotaStatus(ctx, orgId);
}

/** Back to the computed quota. Audited as `validation.quota.clear`; clearing nothing changes nothing. */
export async function clearQuotaOverride(ctx: ServiceContext, orgId: string): Promise<QuotaStatus> {
  await reporterOrg(ctx, orgId);
  requireCoordinatorStaff(ctx.actor, 'override quotas');
  await withTransaction(ctx.db, async (trx) => {
    const before = await settings.findOverride(trx, orgId);
    if (before === undefined) return;
    await settings.deleteOverride(trx, orgId);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.quota.clear',
      subject: { type: 'org', id: orgId },
      orgId,
      diff: { dailyLimit: [before.daily_limit, 'computed'] },
    });
  });
  return quotaStatus(ctx, orgId);
}

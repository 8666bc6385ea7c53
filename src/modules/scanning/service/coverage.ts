import type { ServiceContext } from '../../../platform/context.js';
import { DAY } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/index.js';
import { InputError, NotAllowedError } from '../../../platform/errors.js';
import { holds } from '../../identity/index.js';
import { submissionContents } from '../../intake/index.js';
import { softwareRunByOperators } from '../../inventory/index.js';
import * as campaigns from '../store/campaigns.js';
import * as findings from '../store/findings.js';
import { orgOf } from './access.js';

/**
 * Links the findings of a processed submission to the campaign that produced them: the campaign the
 * submission names, or a finding's own (native format `provenance.campaignId`). Only a campaign of the
 * submitter's organisation counts — naming someone else's campaign links nothing. Idempotent.
 */
export async function linkSubmissionFindings(ctx: ServiceContext, executor: Executor, submissionId: string): Promise<number> {
  const contents = await submissionContents(executor, submissionId);
  const claimed = new Set<string>();
  for (const f of contents.findings) {
    const id = f.finding.provenance.campaignId ?? contents.submission.campaignId;
    if (id !== null) claimed.add(id);
  }
  if (claimed.size === 0) return 0;
  const owned = new Set(
    (await campaigns.campaignsByIds(executor, [...claimed]))
      .filter((c) => c.owner_org_id === contents.submission.ownerOrgId)
      .map((c) => c.id),
  );
  const at = ctx.clock.now().toISOString();
  const rows = contents.findings.flatMap((f) => {
    const campaignId = f.finding.provenance.campaignId ?? contents.submission.campaignId;
    if (campaignId === null || !owned.has(campaignId)) return [];
    return [
      {
        finding_id: f.id,
        campaign_id: campaignId,
        submission_id: submissionId,
        cluster_id: f.clusterId,
        target_key: f.finding.targets[0]?.identity ?? null,
        reported_at: at,
      },
    ];
  });
  return findings.linkFindings(executor, rows);
}

export interface CoverageGap {
  /** The version-free purl scanning and intake key software on. */
  readonly purl: string;
  readonly ecosystem: string;
  readonly name: string;
  readonly operators: number;
  readonly sectors: readonly string[];
}

export interface GapsQuery {
  /** Look back this many days (default 90, at most 3650). */
  readonly days?: number | undefined;
  /** At most this many gaps (default 50, at most 500). */
  readonly limit?: number | undefined;
}

/**
 * Software operators run (their current SBOMs) that no campaign scanned in the last `days` days, most
 * widely run first (operators, then sectors). The coordinator sees every operator's inventory; an operator
 * sees its own; nobody else reads inventories, so nobody else reads this.
 */
export async function scanGaps(
  ctx: ServiceContext,
  query: GapsQuery = {},
): Promise<{ readonly since: string; readonly items: CoverageGap[] }> {
  const days = query.days ?? 90;
  const limit = query.limit ?? 50;
  const issues = [];
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    issues.push({ pointer: '/days', detail: 'must be a whole number from 1 to 3650' });
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    issues.push({ pointer: '/limit', detail: 'must be a whole number from 1 to 500' });
  if (issues.length > 0) throw new InputError(issues.map((i) => `${i.pointer} ${i.detail}`).join('; '), issues);
  const all = holds(ctx.actor, 'scanning.gaps.read');
  const own = ctx.actor.kind === 'user' && ctx.actor.orgKind === 'operator' ? orgOf(ctx.actor) : null;
  if (!all && own === null)
    throw new NotAllowedError("only the coordinator (every operator's) and operators (their own) read coverage gaps (scanning.gaps.read)");
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - days * DAY).toISOString();
  const covered = new Set(await campaigns.campaignKeysScannedBetween(ctx.db.kysely, since, now.toISOString()));
  const software = await softwareRunByOperators(ctx.db.kysely, { orgId: all ? undefined : (own ?? undefined) });
  const items = software
    .filter((s): s is typeof s & { purl: string } => s.purl !== null && !covered.has(s.purl))
    .sort((a, b) => b.operators - a.operators || b.sectors.length - a.sectors.length || a.purl.localeCompare(b.purl))
    .slice(0, limit)
    .map((s) => ({ purl: s.purl, ecosystem: s.ecosystem, name: s.name, operators: s.operators, sectors: s.sectors }));
  return { since, items };
}

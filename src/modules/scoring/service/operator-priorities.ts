import type { ServiceContext } from '../../../platform/context.js';
import { pageOfList, type PageRequest } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import { authorize, type Sector } from '../../identity/index.js';
import { exposureForOperator, type Advisory, type AssetMatches } from '../../inventory/index.js';
import { compareOperatorRows } from '../domain/operator-priority-order.js';
import type { OperatorPriorityDecision } from '../domain/operator-priority.js';
import { describeInputSource } from '../domain/input-source-text.js';
import { PATCH_PRIORITY, type PatchPriority } from '../domain/ssvc-decision-points.js';
import type { OperatorPriorities, OperatorPriority } from '../presenters.js';
import { findEpssLatest } from '../store/epss.js';
import { findKevEntries } from '../store/kev.js';
import { deployerPrioritiesMany, type DeployerPriorities, type DeployerPriorityRequest } from './deployer-priorities.js';

export interface OperatorPrioritiesRequest extends PageRequest {
  /** The operator; default the caller's own organisation. */
  readonly orgId?: string | undefined;
  /** Only this asset (its id or its name). */
  readonly asset?: string | undefined;
  readonly sector?: Sector | undefined;
  /** Only rows due before this date or instant (rows without a deadline are left out). */
  readonly dueBefore?: string | undefined;
}

function explain(decision: OperatorPriorityDecision, assetName: string): OperatorPriority['explanation'] {
  const { inputs, humanImpact, policyVersion, decidedAt } = decision.explanation;
  const assetBasis = (input: { source: { kind: 'operator' } | { kind: 'policy'; rule: string } }) =>
    input.source.kind === 'operator' ? 'stated by you for this asset' : `policy rule ${input.source.rule}`;
  const label = PATCH_PRIORITY.values.find((v) => v.value === decision.outcome)?.name ?? decision.outcome;
  const due = decision.deadline.dueAt === null ? 'no deadline' : `due ${decision.deadline.dueAt.slice(0, 10)}`;
  return {
    summary:
      `${label} (${due}): exploitation ${inputs.exploitation.value}, automatable ${inputs.automatable.value}, ` +
      `${assetName}: system exposure ${inputs.systemExposure.value}, human impact ${humanImpact.outcome.replace('_', ' ')}`,
    policyVersion,
    decidedAt,
    inputs: {
      exploitation: { value: inputs.exploitation.value, basis: describeInputSource(inputs.exploitation.source) },
      automatable: { value: inputs.automatable.value, basis: describeInputSource(inputs.automatable.source) },
      systemExposure: { value: inputs.systemExposure.value, basis: assetBasis(inputs.systemExposure) },
      safetyImpact: { value: inputs.safetyImpact.value, basis: assetBasis(inputs.safetyImpact) },
      missionImpact: { value: inputs.missionImpact.value, basis: assetBasis(inputs.missionImpact) },
      humanImpact: { value: humanImpact.outcome, basis: 'from safety and mission impact (SSVC human impact table)' },
    },
  };
}

type KevRow = Awaited<ReturnType<typeof findKevEntries>>[number];
type EpssRow = Awaited<ReturnType<typeof findEpssLatest>>[number];

/** An operator's rows of one advisory: one per affected asset, with its deployer decision, KEV and EPSS. */
function operatorRows(
  advisory: Advisory,
  affected: readonly AssetMatches[],
  decided: DeployerPriorities,
  kev: ReadonlyMap<string, KevRow>,
  epss: ReadonlyMap<string, EpssRow>,
): Omit<OperatorPriority, 'rank'>[] {
  const ids = [advisory.id, ...advisory.aliases];
  const kevEntry = ids.map((id) => kev.get(id)).find((e) => e !== undefined);
  const epssScore = ids
    .map((id) => epss.get(id))
    .filter((s) => s !== undefined)
    .sort((a, b) => b.epss - a.epss)[0];
  return affected.flatMap((asset, i) => {
    const decision = decided.decisions[i];
    if (decision === undefined) return [];
    const components = asset.matches
      .filter((m) => m.status === 'affected')
      .map((m) => ({ purl: m.purl, version: m.version, fixed: m.fixed }));
    return [
      {
        advisory: { id: advisory.id, aliases: advisory.aliases, summary: advisory.summary, tlp: advisory.tlp },
        asset: {
          id: asset.assetId,
          name: asset.name,
          sector: asset.sector,
          criticality: asset.criticality,
          internetFacing: asset.internetFacing,
        },
        components,
        fixed: [...new Set(components.flatMap((c) => c.fixed))],
        kev:
          kevEntry === undefined
            ? null
            : {
                cveId: kevEntry.cve_id,
                dateAdded: kevEntry.date_added,
                dueDate: kevEntry.due_date,
                ransomware: kevEntry.known_ransomware_campaign_use.toLowerCase() === 'known',
              },
        epss:
          epssScore === undefined
            ? null
            : { cveId: epssScore.cve_id, score: epssScore.epss, percentile: epssScore.percentile, date: epssScore.score_date },
        priority: decision.outcome,
        dueAt: decision.deadline.dueAt,
        days: decision.deadline.days,
        explanation: explain(decision, asset.name),
      },
    ];
  });
}

/** Advisories read per page of the operator's exposure, and decided per batch. */
const EXPOSURE_PAGE = 500;

/** Every advisory the operator's current inventories match that the caller may see, with its assets. */
async function allExposure(ctx: ServiceContext, orgId: string): Promise<{ advisory: Advisory; assets: AssetMatches[] }[]> {
  const out: { advisory: Advisory; assets: AssetMatches[] }[] = [];
  let cursor: string | undefined;
  do {
    const page = await exposureForOperator(ctx, orgId, { limit: EXPOSURE_PAGE, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

function dueBeforeInstant(value: string): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const time = Date.parse(instant);
  if (Number.isNaN(time))
    throw new InputError(`dueBefore must be a date (YYYY-MM-DD) or an instant, got "${value}"`, [
      { pointer: '/dueBefore', detail: 'must be YYYY-MM-DD or an ISO 8601 instant' },
    ]);
  return new Date(time).toISOString();
}

/**
 * An operator's ranked priorities: per asset and advisory its inventory is affected by, the SSVC deployer
 * decision (the operator's own exposure, safety and mission impact, criticality), KEV, EPSS, the due date
 * from the policy and the fixed versions — most urgent first (see {@link compareOperatorRows}). Each row is
 * computed from and shows only the operator's own asset, and only advisories the caller may see; inputs that
 * rest on the clearinghouse's records are described without naming them.
 *
 * The operator's members and the coordinator (`scoring.priority.read`); another organisation's inventory
 * answers NotFoundError, a non-operator asking for its own NotAllowedError. InputError for a bad filter.
 */
export async function listOperatorPriorities(ctx: ServiceContext, request: OperatorPrioritiesRequest = {}): Promise<OperatorPriorities> {
  const { actor } = ctx;
  const orgId = request.orgId ?? (actor.kind === 'user' ? actor.orgId : undefined);
  if (orgId === undefined) throw new InputError('name the operator', [{ pointer: '/orgId', detail: 'is required for the system' }]);
  const dueBefore = request.dueBefore === undefined ? undefined : dueBeforeInstant(request.dueBefore);
  // exposureForOperator answers NotFoundError for an inventory the caller may not read, before anything else.
  const exposure = await allExposure(ctx, orgId);
  authorize(actor, 'scoring.priority.read', { ownerOrgId: orgId });

  const executor = ctx.db.kysely;
  const cveIds = [...new Set(exposure.flatMap((e) => [e.advisory.id, ...e.advisory.aliases]).filter((id) => id.startsWith('CVE-')))];
  const kev = new Map((await findKevEntries(executor, cveIds)).map((r) => [r.cve_id, r] as const));
  const epss = new Map((await findEpssLatest(executor, cveIds)).map((r) => [r.cve_id, r] as const));

  let undecided = 0;
  const wanted = exposure.map(({ advisory, assets }) => {
    const kept = assets.filter(
      (a) =>
        (request.asset === undefined || a.assetId === request.asset || a.name === request.asset) &&
        (request.sector === undefined || a.sector === request.sector),
    );
    const affected = kept.filter((a) => a.matches.some((m) => m.status === 'affected'));
    undecided += kept.length - affected.length;
    return { advisory, affected };
  });
  const rows: Omit<OperatorPriority, 'rank'>[] = [];
  // One batch of deployer decisions per page of advisories: its queries do not grow with the rows.
  for (let start = 0; start < wanted.length; start += EXPOSURE_PAGE) {
    const part = wanted.slice(start, start + EXPOSURE_PAGE).filter((w) => w.affected.length > 0);
    const requests: DeployerPriorityRequest[] = part.map(({ advisory, affected }) => ({
      cveIds: [advisory.id, ...advisory.aliases],
      assets: affected.map((a) => ({
        operatorId: orgId,
        assetId: a.assetId,
        sector: a.sector,
        criticality: a.criticality,
        internetFacing: a.internetFacing,
      })),
    }));
    const decidedPart = await deployerPrioritiesMany(ctx, requests);
    part.forEach(({ advisory, affected }, j) => {
      const decided = decidedPart[j];
      if (decided === undefined) return;
      rows.push(...operatorRows(advisory, affected, decided, kev, epss));
    });
  }

  const kept = rows.filter((r) => dueBefore === undefined || (r.dueAt !== null && r.dueAt < dueBefore));
  const ranked = kept
    .map((r) => ({
      r,
      key: {
        priority: r.priority,
        kev: r.kev !== null,
        epss: r.epss?.score ?? null,
        dueAt: r.dueAt,
        advisoryId: r.advisory.id,
        assetId: r.asset.id,
      },
    }))
    .sort((a, b) => compareOperatorRows(a.key, b.key))
    .map(({ r }, i): OperatorPriority => ({ rank: i + 1, ...r }));
  const byPriority = Object.fromEntries(PATCH_PRIORITY.values.map((v) => [v.value, 0])) as Record<PatchPriority, number>;
  for (const r of ranked) byPriority[r.priority] += 1;
  const page = pageOfList(ranked, request, (r) => `${r.advisory.id} ${r.asset.id}`);
  return {
    orgId,
    totals: {
      rows: ranked.length,
      assets: new Set(ranked.map((r) => r.asset.id)).size,
      advisories: new Set(ranked.map((r) => r.advisory.id)).size,
      kev: ranked.filter((r) => r.kev !== null).length,
      byPriority,
      undecided,
    },
    items: page.items,
    nextCursor: page.nextCursor,
  };
}

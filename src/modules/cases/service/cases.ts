import type { ServiceContext } from '../../../platform/context.js';
import { paginate, withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { clusterReportsMany, findingsData, getCluster, type ClusterDetail } from '../../intake/index.js';
import { caseYear, formatCaseNumber } from '../domain/case-id.js';
import { NO_EMBARGO } from '../domain/embargo.js';
import { channelsOf } from '../domain/participants.js';
import { CASE_OPENED, type CaseOpenedPayload } from '../events.js';
import { presentCase, presentStep, presentSummary, type CaseDetail, type CaseSummary, type TimelineStep } from '../presenters.js';
import { cvesOf } from '../store/cve.js';
import { currentDisclosurePolicy } from '../store/disclosure-policy.js';
import { casesOfClusters, casesQuery, insertCase, insertVulnerabilities, nextCaseSequence, vulnerabilitiesOf } from '../store/cases.js';
import { insertParticipants, markSeen } from '../store/participants.js';
import type { CaseRow, ParticipantRow, VulnerabilityRow } from '../store/tables.js';
import { timelineOf } from '../store/timeline.js';
import { coordinatorOrgId, orgOf, overseesCases, readableCase } from './access.js';
import { insertSuggestions, newParticipant } from './participants.js';
import { recordStep } from './timeline.js';
import { affectedPackages, vulnerabilitiesAsSeen } from './vulnerabilities.js';

export const MAX_CASE_CLUSTERS = 50;
const MAX_TITLE = 300;
const MAX_DESCRIPTION = 20_000;

export interface OpenCaseInput {
  /** The accepted clusters the case coordinates (1 to 50). */
  readonly clusterIds?: unknown;
  /** Default: the first cluster's title, else its first alias. */
  readonly title?: unknown;
  readonly description?: unknown;
  /** Actively exploited: the default embargo is the policy's shorter one. */
  readonly exploited?: unknown;
}

function readText(issues: FieldIssue[], pointer: string, value: unknown, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max || /\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ''))) {
    issues.push({ pointer, detail: `must be text of at most ${max} characters without control characters` });
    return null;
  }
  return value.trim() === '' ? null : value.trim();
}

function readOpenCase(input: OpenCaseInput): {
  clusterIds: string[];
  title: string | null;
  description: string | null;
  exploited: boolean;
} {
  const issues: FieldIssue[] = [];
  const ids = input.clusterIds;
  let clusterIds: string[] = [];
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_CASE_CLUSTERS ||
    !ids.every((i) => typeof i === 'string' && i.length <= 100)
  )
    issues.push({ pointer: '/clusterIds', detail: `must list 1 to ${MAX_CASE_CLUSTERS} cluster ids` });
  else clusterIds = [...new Set(ids as string[])];
  const title = readText(issues, '/title', input.title, MAX_TITLE);
  const description = readText(issues, '/description', input.description, MAX_DESCRIPTION);
  if (input.exploited !== undefined && typeof input.exploited !== 'boolean')
    issues.push({ pointer: '/exploited', detail: 'must be true or false' });
  if (issues.length > 0)
    throw new InputError(`the case cannot be opened: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return { clusterIds, title, description, exploited: input.exploited === true };
}

/** Package URLs each cluster's reports name as affected, from every report: for suggesting vendors, never shown as is. */
async function affectedPurls(ctx: ServiceContext, clusterIds: readonly string[]): Promise<Map<string, string[]>> {
  const reports = await clusterReportsMany(ctx.db, clusterIds);
  const findings = await findingsData(
    ctx.db.kysely,
    [...reports.values()].flatMap((r) => r.reports.map((x) => x.findingId)),
  );
  const out = new Map<string, string[]>();
  for (const [clusterId, { reports: list }] of reports)
    out.set(clusterId, affectedPackages(list.flatMap((report) => findings.get(report.findingId) ?? [])));
  return out;
}

async function acceptedClusters(ctx: ServiceContext, ids: readonly string[]): Promise<ClusterDetail[]> {
  const issues: FieldIssue[] = [];
  const clusters: ClusterDetail[] = [];
  for (const [i, id] of ids.entries()) {
    const cluster = await getCluster(ctx, id).catch(() => null);
    if (cluster === null) issues.push({ pointer: `/clusterIds/${i}`, detail: `no cluster ${id}` });
    else if (cluster.mergedInto !== null)
      issues.push({ pointer: `/clusterIds/${i}`, detail: `was merged into ${cluster.mergedInto}: name that one` });
    else if (cluster.state !== 'accepted')
      issues.push({ pointer: `/clusterIds/${i}`, detail: `is ${cluster.state}: only an accepted cluster is coordinated in a case` });
    else clusters.push(cluster);
  }
  if (issues.length > 0)
    throw new InputError(`the case cannot be opened: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return clusters;
}

/**
 * Opens a case from accepted clusters (a coordinator's analysts and admins): numbered `CH-YYYY-NNNN` from
 * the year's counter in the same transaction; the coordinator and the clusters' reporting organisations
 * take part at once; vendors whose declared purl scopes contain an affected package are suggested for a
 * coordinator to approve. A cluster is coordinated in one case: naming one already in a case is a conflict
 * (`cluster-in-case`), also when two coordinators open at once. Audited `cases.case.open`; emits
 * `cases.case.opened` and `cases.participant.added` for each suggestion.
 *
 * @throws InputError naming `/clusterIds/i` (unknown, merged or not accepted), `/title`, `/description`.
 * @throws ConflictError `cluster-in-case` naming the case.
 */
export async function openCase(
  ctx: ServiceContext,
  input: OpenCaseInput,
  openedBy: 'coordinator' | 'policy' = 'coordinator',
): Promise<CaseDetail> {
  authorize(ctx.actor, 'cases.case.open');
  const wanted = readOpenCase(input);
  const clusters = await acceptedClusters(ctx, wanted.clusterIds);
  const reports = await clusterReportsMany(ctx.db, wanted.clusterIds);
  const purls = await affectedPurls(ctx, wanted.clusterIds);
  const ownerOrgId = await coordinatorOrgId(ctx);
  // Not the cluster's title: a participant may read the case without reading every report behind it.
  const title = wanted.title ?? `Coordination of ${clusters.length === 1 ? 'one vulnerability' : `${clusters.length} vulnerabilities`}`;
  const caseId = await withTransaction(
    ctx.db,
    async (trx) => {
      const taken = await casesOfClusters(trx, wanted.clusterIds);
      if (taken.length > 0)
        throw new ConflictError(`cluster ${taken[0]!.cluster_id} is coordinated in case ${taken[0]!.number} already`, {
          code: 'cluster-in-case',
          extensions: { clusterId: taken[0]!.cluster_id, caseNumber: taken[0]!.number },
        });
      const now = ctx.clock.now();
      const at = now.toISOString();
      const year = caseYear(now);
      const row: CaseRow = {
        id: newId('case'),
        number: formatCaseNumber(year, await nextCaseSequence(trx, year)),
        owner_org_id: ownerOrgId,
        created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        title,
        description: wanted.description,
        opened_by: openedBy,
        exploited: wanted.exploited ? 1 : 0,
        embargo: JSON.stringify(NO_EMBARGO),
        embargo_state: 'none',
        embargo_ends_at: null,
        disclosed_at: null,
        disclosure_policy_version: (await currentDisclosurePolicy(trx)).version,
        first_reported_at: earliestReport(reports) ?? at,
        created_at: at,
        updated_at: at,
      };
      await insertCase(trx, row);
      const vulnerabilities: VulnerabilityRow[] = clusters.map((c, position) => ({
        case_id: row.id,
        cluster_id: c.id,
        position,
        title: c.title,
        aliases: JSON.stringify(c.aliases),
        cwes: JSON.stringify(c.cwes),
        purls: JSON.stringify(purls.get(c.id) ?? []),
      }));
      await insertVulnerabilities(trx, vulnerabilities);
      const reporterOrgs = [...new Set([...reports.values()].flatMap((r) => r.reports.map((x) => x.reporterOrgId)))].filter(
        (o) => o !== ownerOrgId,
      );
      const participant = (orgId: string, role: 'coordinator' | 'reporter'): ParticipantRow =>
        newParticipant(row.id, orgId, at, { role, state: 'active', source: 'opening', notified_at: at });
      await insertParticipants(trx, [participant(ownerOrgId, 'coordinator'), ...reporterOrgs.map((o) => participant(o, 'reporter'))]);
      await recordStep(trx, ctx.actor, { caseId: row.id, kind: 'case.opened', at, data: { number: row.number, openedBy } });
      const payload: CaseOpenedPayload = {
        caseId: row.id,
        number: row.number,
        title,
        clusterIds: clusters.map((c) => c.id),
        openedBy,
        tlp: 'AMBER+STRICT',
        participantOrgIds: [ownerOrgId, ...reporterOrgs],
        at,
      };
      await ctx.events.emit(trx, { type: CASE_OPENED, subjectId: row.id, orgId: ownerOrgId, payload });
      await ctx.audit.record(trx, ctx.actor, {
        action: 'cases.case.open',
        subject: { type: 'case', id: row.id },
        orgId: ownerOrgId,
        diff: { number: row.number, clusterIds: payload.clusterIds, exploited: wanted.exploited, openedBy },
      });
      await insertSuggestions(ctx, trx, row, vulnerabilities, new Set([ownerOrgId, ...reporterOrgs]));
      return row.id;
    },
    { replayOnUniqueViolation: true },
  );
  return getCase(ctx, caseId);
}

/** When the earliest of these clusters' reports arrived (none: null). */
function earliestReport(reports: ReadonlyMap<string, { readonly reports: readonly { readonly reportedAt: string }[] }>): string | null {
  let earliest: string | null = null;
  for (const { reports: list } of reports.values())
    for (const { reportedAt } of list) if (earliest === null || Date.parse(reportedAt) < Date.parse(earliest)) earliest = reportedAt;
  return earliest === null ? null : new Date(earliest).toISOString();
}

/**
 * A case as the reader may see it (coordinators: all of it; participants: the coordinators and
 * themselves among the participants, their channels). The first reading by a member of a participant
 * organisation is recorded as that organisation's `seenAt`.
 *
 * @throws NotFoundError for a case the reader does not take part in.
 */
export async function getCase(ctx: ServiceContext, idOrNumber: string): Promise<CaseDetail> {
  let access = await readableCase(ctx, idOrNumber);
  if (access.me !== null && access.me.seen_at === null && ctx.actor.kind === 'user') {
    await markSeen(ctx.db.kysely, access.row.id, access.me.org_id, ctx.clock.now().toISOString());
    access = await readableCase(ctx, access.row.id);
  }
  const vulnerabilities = await vulnerabilitiesAsSeen(
    ctx,
    await vulnerabilitiesOf(ctx.db.kysely, access.row.id),
    await cvesOf(ctx.db.kysely, { caseId: access.row.id }),
  );
  const channels = channelsOf(
    { orgId: access.orgId ?? '', coordinator: access.coordinator },
    access.participants.map((p) => ({ orgId: p.org_id, role: p.role as 'vendor', state: p.state as 'active' })),
  );
  return presentCase(access, vulnerabilities, channels);
}

export interface CaseQuery extends PageRequest {
  /** Only cases whose embargo is in this state. */
  readonly embargoState?: string | undefined;
}

/** The cases the reader takes part in (coordinators: every case), newest first, paginated. */
export async function listCases(ctx: ServiceContext, query: CaseQuery): Promise<Page<CaseSummary>> {
  const orgId = overseesCases(ctx.actor) ? null : orgOf(ctx.actor);
  if (orgId === null && !overseesCases(ctx.actor)) return { items: [], nextCursor: null };
  const q = casesQuery(ctx.db.kysely, orgId, query.embargoState);
  const page = await paginate(q, query, {
    sort: 'c.created_at',
    id: 'c.id',
    sortOf: (r) => r.created_at,
    idOf: (r) => r.id,
    direction: 'desc',
  });
  return { items: page.items.map(presentSummary), nextCursor: page.nextCursor };
}

/** The case timeline as the reader may see it: every step (coordinators), else the common steps and its own. */
export async function caseTimeline(ctx: ServiceContext, idOrNumber: string): Promise<TimelineStep[]> {
  const access = await readableCase(ctx, idOrNumber);
  const rows = await timelineOf(ctx.db.kysely, access.row.id, access.coordinator ? null : access.orgId);
  return rows.map((r) => presentStep(r, access.orgId, access.coordinator));
}

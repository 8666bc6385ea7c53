import { keepStatisticsFresh, type Database, type Executor } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import type { RecipientInput } from '../../identity/index.js';
import type { CveEnrichment, Finding } from '../domain/index.js';
import { restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';

/**
 * What other modules need to know about a cluster's reports, for decisions rather than display: who
 * reported (organisations, users, tools, models), in order. Not access-checked — callers are services
 * deciding on the caller's behalf (independence of validators, reporter statistics), never presenters.
 */
export interface ClusterReport {
  readonly findingId: string;
  readonly submissionId: string;
  readonly reporterOrgId: string;
  readonly reporterUserId: string | null;
  readonly tool: string | null;
  readonly model: string | null;
  readonly aiGenerated: boolean | null;
  readonly outcome: 'new' | 'duplicate';
  readonly reportedAt: string;
}

const toReport = (r: Awaited<ReturnType<typeof store.reportsOfCluster>>[number]): ClusterReport => ({
  findingId: r.id,
  submissionId: r.submission_id,
  reporterOrgId: r.owner_org_id,
  reporterUserId: r.created_by,
  tool: r.tool,
  model: r.model,
  aiGenerated: r.ai_generated === null ? null : r.ai_generated === 1,
  outcome: r.outcome,
  reportedAt: r.created_at,
});

export async function clusterReports(executor: Executor, clusterId: string): Promise<ClusterReport[]> {
  if ((await store.findCluster(executor, clusterId)) === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
  return (await store.reportsOfCluster(executor, clusterId)).map(toReport);
}

/**
 * Many clusters at once: each existing cluster's reports (oldest first) and, if merged, its survivor. Keeps
 * intake_finding's planner statistics fresh first: its reports are found by cluster through an index, which
 * PostgreSQL without statistics (autovacuum off) plans as a scan of every finding — per call, so background
 * work after each submission (validation's triage sync) grew with the table (at 100,000 findings 336 ms a
 * call against 9 ms, issue 14). Here, not on intake's request path, where ANALYZE of the wide rows cost
 * PostgreSQL intake a fifth of its rate (dfbe2b2).
 */
export async function clusterReportsMany(
  db: Database,
  clusterIds: readonly string[],
): Promise<Map<string, { readonly reports: ClusterReport[]; readonly mergedInto: string | null }>> {
  // Once a second at most: validation's sync asks once per submission (issue 20).
  await keepStatisticsFresh(db.kysely, db.caps, 'intake_finding', { atMostEveryMs: 1000 });
  const out = new Map<string, { reports: ClusterReport[]; mergedInto: string | null }>();
  for (const row of await store.findClusters(db.kysely, clusterIds)) out.set(row.id, { reports: [], mergedInto: row.merged_into });
  for (const report of await store.reportsOfClusters(db.kysely, [...out.keys()]))
    out.get(report.cluster_id)?.reports.push(toReport(report));
  return out;
}

/** What a cluster's reports say that other modules weigh (see {@link clusterReportsDigest}). */
export interface ReportsDigest {
  /** Every id the cluster is known by (CVE, GHSA, …), from all its reports, sorted. */
  readonly aliases: string[];
  /** From the oldest reports read, oldest first, each once: their CVSS vectors, references and SSVC enrichment. */
  readonly cvssVectors: string[];
  readonly references: { readonly url: string; readonly type: string | null }[];
  readonly ssvc: NonNullable<CveEnrichment['ssvc']>[];
}

/**
 * A cluster's aliases, and the CVSS vectors, references and CISA SSVC enrichment of its `reportsRead`
 * oldest reports (validation's transition events carry it; scoring weighs it). Not access-checked, as
 * above. Three statements.
 */
export async function clusterReportsDigest(executor: Executor, clusterId: string, reportsRead: number): Promise<ReportsDigest> {
  const row = await store.findCluster(executor, clusterId);
  if (row === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
  const read = (await store.reportsOfCluster(executor, clusterId)).slice(0, reportsRead).map((report) => report.id);
  const data = await findingsData(executor, read);
  const cvssVectors = new Set<string>();
  const references = new Map<string, { url: string; type: string | null }>();
  const ssvc: NonNullable<CveEnrichment['ssvc']>[] = [];
  for (const id of read) {
    const finding = data.get(id);
    if (finding === undefined) continue;
    for (const severity of finding.severities) if (severity.kind === 'cvss') cvssVectors.add(severity.vector);
    for (const { url, type } of finding.references) references.set(JSON.stringify([type, url]), { url, type });
    if (finding.enrichment?.ssvc) ssvc.push(finding.enrichment.ssvc);
  }
  return { aliases: JSON.parse(row.aliases) as string[], cvssVectors: [...cvssVectors], references: [...references.values()], ssvc };
}

/** The normalized findings behind these ids (unknown ids are absent). Not access-checked, as above. */
export async function findingsData(executor: Executor, findingIds: readonly string[]): Promise<Map<string, Finding>> {
  const out = new Map<string, Finding>();
  for (const row of await store.findingData(executor, findingIds)) out.set(row.id, restoreFinding(row.data));
  return out;
}

/**
 * Records a cluster's report-management state (the validation module owns the state machine; intake keeps
 * the current value so that cluster lists filter on it). Call inside the caller's transaction.
 */
export async function recordClusterState(trx: Executor, clusterId: string, state: string, at: string): Promise<void> {
  await store.setClusterState(trx, clusterId, state, at);
}

/** A processed submission's findings, normalized, with the label and owner they were submitted under. */
export interface SubmissionContents {
  readonly submission: {
    readonly id: string;
    readonly ownerOrgId: string;
    /** The user who submitted it (its creator reads it at every TLP); null for imports by the system. */
    readonly createdBy: string | null;
    readonly tlp: Tlp;
    readonly format: string;
    readonly documentId: string | null;
    /** The scan campaign the submitter said it came from (unchecked: scanning checks it is the submitter's). */
    readonly campaignId: string | null;
    /** Who it was shared with (always the coordinator), to share what is derived from it alike. */
    readonly recipients: RecipientInput;
  };
  readonly findings: readonly { readonly id: string; readonly clusterId: string; readonly finding: Finding }[];
}

/**
 * What a submission said, for modules that act on it (inventory indexes the advisories among it). Not
 * access-checked: callers are background consumers acting for the system, never presenters.
 */
export async function submissionContents(executor: Executor, submissionId: string): Promise<SubmissionContents> {
  const submission = await store.findSubmission(executor, submissionId);
  if (submission === undefined) throw new NotFoundError(`no submission ${submissionId}`);
  const rows = await store.findingsOfSubmission(executor, submissionId);
  return {
    submission: {
      id: submission.id,
      ownerOrgId: submission.owner_org_id,
      createdBy: submission.created_by,
      tlp: submission.tlp as Tlp,
      format: submission.format,
      documentId: submission.document_id,
      campaignId: submission.campaign_id,
      recipients: JSON.parse(submission.recipients) as RecipientInput,
    },
    findings: rows.map((r) => ({ id: r.id, clusterId: r.cluster_id, finding: restoreFinding(r.data) })),
  };
}

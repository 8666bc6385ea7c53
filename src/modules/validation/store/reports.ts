import { sql } from 'kysely';
import { insertMany, paginate, type DialectCapabilities, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { chunks, t, type ReportRow } from './tables.js';

// Unit separator symbol: no scanner or model name contains it.
const SOURCE_SEPARATOR = '\u241f';

/** The key the tool/model track record groups by. */
export function sourceKeyOf(tool: string | null, model: string | null): string {
  return `${tool ?? ''}${SOURCE_SEPARATOR}${model ?? ''}`;
}

export function splitSourceKey(key: string): { tool: string | null; model: string | null } {
  const [tool = '', model = ''] = key.split(SOURCE_SEPARATOR);
  return { tool: tool === '' ? null : tool, model: model === '' ? null : model };
}

/** The mirror rows of these findings, by finding id. */
export async function reportsByFinding(executor: Executor, findingIds: readonly string[]): Promise<Map<string, ReportRow>> {
  const out = new Map<string, ReportRow>();
  for (const ids of chunks(findingIds)) {
    for (const row of await t(executor).selectFrom('validation_report').selectAll().where('finding_id', 'in', ids).execute())
      out.set(row.finding_id, row);
  }
  return out;
}

const REPORT_COLUMNS: readonly (keyof ReportRow)[] = [
  'finding_id',
  'cluster_id',
  'submission_id',
  'reporter_org_id',
  'reporter_user_id',
  'tool',
  'model',
  'source_key',
  'ai_generated',
  'not_first',
  'severity',
  'severity_source',
  'cvss_base',
  'reported_at',
];

/** Adds mirror rows; a finding mirrored already (a concurrent delivery) is left as it is. */
export async function insertReports(executor: Executor, caps: DialectCapabilities, rows: readonly ReportRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'validation_report',
    REPORT_COLUMNS,
    rows.map((row) => REPORT_COLUMNS.map((c) => row[c])),
    { onConflictDoNothing: ['finding_id'] },
  );
}

/** Records that intake moved these findings into `clusterId` (a merge, split or undo). */
export async function moveReports(executor: Executor, findingIds: readonly string[], clusterId: string): Promise<void> {
  for (const ids of chunks(findingIds))
    await t(executor).updateTable('validation_report').set({ cluster_id: clusterId }).where('finding_id', 'in', ids).execute();
}

export async function reportsOfClusters(executor: Executor, clusterIds: readonly string[]): Promise<ReportRow[]> {
  const out: ReportRow[] = [];
  for (const ids of chunks(clusterIds))
    out.push(...(await t(executor).selectFrom('validation_report').selectAll().where('cluster_id', 'in', ids).execute()));
  return out;
}

/** Reports an organisation sent at or after `since`: the volume a quota looks at. */
export async function countReportsSince(executor: Executor, orgId: string, since: string): Promise<number> {
  const row = await t(executor)
    .selectFrom('validation_report')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reporter_org_id', '=', orgId)
    .where('reported_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What the track record groups by: the reporting organisation, or the tool and model. */
export type RecordGroup = 'reporter_org_id' | 'source_key';

export interface RecordCounts {
  key: string;
  reports: number;
  clusters: number;
  valid: number;
  invalid: number;
  pending: number;
  duplicates: number;
}

/**
 * Counts per group, one cluster counting once however many reports of the group it holds: valid and invalid
 * by the cluster's verdict, pending while it awaits one, duplicates where another organisation was first.
 */
function recordCountsQuery(
  executor: Executor,
  group: RecordGroup,
  filter: { readonly keys?: readonly string[]; readonly reporterOrgId?: string },
) {
  const key = sql.ref<string>(`r.${group}`);
  return t(executor)
    .selectFrom('validation_report as r')
    .innerJoin('validation_triage as tr', 'tr.cluster_id', 'r.cluster_id')
    .select([
      key.as('key'),
      sql<number>`count(*)`.as('reports'),
      sql<number>`count(distinct r.cluster_id)`.as('clusters'),
      sql<number>`count(distinct case when tr.verdict = 'valid' then r.cluster_id end)`.as('valid'),
      sql<number>`count(distinct case when tr.verdict = 'invalid' then r.cluster_id end)`.as('invalid'),
      sql<number>`count(distinct case when tr.verdict is null and tr.state = 'received' then r.cluster_id end)`.as('pending'),
      sql<number>`count(distinct case when r.not_first = 1 then r.cluster_id end)`.as('duplicates'),
    ])
    .$if(filter.keys !== undefined, (q) => q.where(key, 'in', filter.keys?.length ? filter.keys : ['']))
    .$if(filter.reporterOrgId !== undefined, (q) => q.where('r.reporter_org_id', '=', filter.reporterOrgId ?? ''))
    .groupBy(key);
}

/** Normalizes the counts (PostgreSQL's count is a bigint, read back as a number already; SQLite's too). */
function countsOf(row: RecordCounts): RecordCounts {
  return {
    key: row.key,
    reports: Number(row.reports),
    clusters: Number(row.clusters),
    valid: Number(row.valid),
    invalid: Number(row.invalid),
    pending: Number(row.pending),
    duplicates: Number(row.duplicates),
  };
}

/** One page of the groups' counts, in key order. */
export async function pageOfRecordCounts(
  executor: Executor,
  group: RecordGroup,
  request: PageRequest,
  filter: { readonly keys?: readonly string[]; readonly reporterOrgId?: string },
): Promise<Page<RecordCounts>> {
  const column = `r.${group}`;
  const page = await paginate(recordCountsQuery(executor, group, filter), request, {
    sort: column,
    id: column,
    sortOf: (row) => row.key,
    idOf: (row) => row.key,
  });
  return { items: page.items.map(countsOf), nextCursor: page.nextCursor };
}

/** The counts of one group key; undefined when it holds no report. */
export async function recordCountsOf(executor: Executor, group: RecordGroup, key: string): Promise<RecordCounts | undefined> {
  return (await recordCountsQuery(executor, group, { keys: [key] }).execute()).map(countsOf)[0];
}

/** Invalid clusters per group and reason. */
export async function invalidReasons(
  executor: Executor,
  group: RecordGroup,
  keys: readonly string[],
  reporterOrgId?: string,
): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (keys.length === 0) return out;
  const key = sql.ref<string>(`r.${group}`);
  const rows = await t(executor)
    .selectFrom('validation_report as r')
    .innerJoin('validation_triage as tr', 'tr.cluster_id', 'r.cluster_id')
    .select([key.as('key'), 'tr.invalid_reason as reason', sql<number>`count(distinct r.cluster_id)`.as('n')])
    .where('tr.verdict', '=', 'invalid')
    .where(key, 'in', keys)
    .$if(reporterOrgId !== undefined, (q) => q.where('r.reporter_org_id', '=', reporterOrgId ?? ''))
    .groupBy([key, 'tr.invalid_reason'])
    .execute();
  for (const row of rows) {
    const reasons = out.get(row.key) ?? {};
    reasons[row.reason ?? 'unknown'] = Number(row.n);
    out.set(row.key, reasons);
  }
  return out;
}

/** Received, active clusters holding a report of one of these organisations (to re-place after a verdict). */
export async function receivedClustersReportedBy(executor: Executor, orgIds: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const ids of chunks(orgIds)) {
    const rows = await t(executor)
      .selectFrom('validation_report as r')
      .innerJoin('validation_triage as tr', 'tr.cluster_id', 'r.cluster_id')
      .select('r.cluster_id')
      .distinct()
      .where('r.reporter_org_id', 'in', ids)
      .where('tr.state', '=', 'received')
      .where('tr.active', '=', 1)
      .execute();
    for (const row of rows) out.add(row.cluster_id);
  }
  return [...out];
}

import type { RetainedRecord, RetentionSource } from '../../../platform/retention.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { t } from './tables.js';

/**
 * Cases for retention (the `case` class: the case with its participants, statements, posts and timeline),
 * and the event cases know about whole clusters: `case_published`, when the case covering a cluster left its
 * embargo — the rules of submissions, findings, evidence and clusters count from it. Cases have no closing
 * step yet, so `case_closed` never happens and a rule counting from it keeps the case.
 *
 * A case is the coordinator's record (its owner): an organisation that leaves takes its own records, not the
 * cases it took part in (its statements and posts stay part of the coordinated record). Holds may name the
 * case, any of its clusters' records through the clusters, the owner or any participant.
 */

/** The case tables as one shape, for the statements that treat them alike (they all carry `case_id`). */
const anyCaseTable = (db: Executor) => tables<Record<string, { case_id: string }>>(db);

type CaseRecordRow = { id: string; owner_org_id: string; created_at: string; disclosed_at: string | null };

function anchorsOf(r: CaseRecordRow): Record<string, string> {
  const anchors: Record<string, string> = { created: r.created_at };
  if (r.disclosed_at !== null) anchors.case_published = new Date(r.disclosed_at).toISOString();
  return anchors;
}

async function caseRecords(db: Executor, afterId: string | null, limit: number, orgId?: string): Promise<RetainedRecord[]> {
  let q = t(db).selectFrom('cases_case').select(['id', 'owner_org_id', 'created_at', 'disclosed_at']);
  if (afterId !== null) q = q.where('id', '>', afterId);
  if (orgId !== undefined) q = q.where('owner_org_id', '=', orgId);
  const rows: CaseRecordRow[] = await q.orderBy('id').limit(limit).execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const clusters = await t(db).selectFrom('cases_vulnerability').select(['case_id', 'cluster_id']).where('case_id', 'in', ids).execute();
  const participants = await t(db).selectFrom('cases_participant').select(['case_id', 'org_id']).where('case_id', 'in', ids).execute();
  const byCase = <T extends { case_id: string }>(list: readonly T[], id: string) => list.filter((x) => x.case_id === id);
  return rows.map((r) => ({
    recordId: r.id,
    dataClass: 'case',
    ownerOrgId: r.owner_org_id,
    createdAt: r.created_at,
    anchors: anchorsOf(r),
    holdKeys: {
      records: [r.id],
      cases: [r.id],
      orgs: [...new Set([r.owner_org_id, ...byCase(participants, r.id).map((p) => p.org_id)])],
    },
    clusterIds: byCase(clusters, r.id).map((c) => c.cluster_id),
    blobs: [],
  }));
}

export const casesRetention: RetentionSource = {
  module: 'cases',
  dataClasses: ['case'],
  async records(db, query) {
    return query.dataClass === 'case' ? caseRecords(db, query.afterId, query.limit, query.orgId) : [];
  },
  async content(db, dataClass, ids) {
    if (dataClass !== 'case' || ids.length === 0) return [];
    const q = t(db);
    const cases = await q
      .selectFrom('cases_case')
      .selectAll()
      .where('id', 'in', [...ids])
      .orderBy('id')
      .execute();
    const of = async (table: 'cases_vulnerability' | 'cases_participant' | 'cases_statement' | 'cases_post' | 'cases_timeline') =>
      (await anyCaseTable(db)
        .selectFrom(table)
        .selectAll()
        .where('case_id', 'in', [...ids])
        .execute()) as { case_id: string }[];
    const [vulnerabilities, participants, statements, posts, timeline] = [
      await of('cases_vulnerability'),
      await of('cases_participant'),
      await of('cases_statement'),
      await of('cases_post'),
      await of('cases_timeline'),
    ];
    const pick = (list: readonly { case_id: string }[], id: string) => list.filter((x) => x.case_id === id);
    return cases.map((c) => ({
      ...c,
      vulnerabilities: pick(vulnerabilities, c.id),
      participants: pick(participants, c.id),
      statements: pick(statements, c.id),
      posts: pick(posts, c.id),
      timeline: pick(timeline, c.id),
    }));
  },
  async purge(trx, dataClass, ids) {
    if (dataClass !== 'case' || ids.length === 0) return [];
    const q = t(trx);
    const present = (
      await q
        .selectFrom('cases_case')
        .select('id')
        .where('id', 'in', [...ids])
        .execute()
    ).map((r) => r.id);
    if (present.length === 0) return [];
    for (const table of ['cases_post', 'cases_timeline', 'cases_statement', 'cases_participant', 'cases_vulnerability'])
      await anyCaseTable(trx).deleteFrom(table).where('case_id', 'in', present).execute();
    // A CVE id stays allocated (it is public once published, and a block never hands it out twice); it no
    // longer names the case.
    await q.updateTable('cases_cve').set({ case_id: null }).where('case_id', 'in', present).execute();
    await q.deleteFrom('cases_case').where('id', 'in', present).execute();
    return present;
  },
  async clusterEvents(db, clusterIds) {
    const events = new Map<string, Record<string, string>>();
    if (clusterIds.length === 0) return events;
    const rows = await t(db)
      .selectFrom('cases_vulnerability as v')
      .innerJoin('cases_case as c', 'c.id', 'v.case_id')
      .select(['v.cluster_id', 'c.disclosed_at'])
      .where('v.cluster_id', 'in', [...clusterIds])
      .where('c.disclosed_at', 'is not', null)
      .execute();
    for (const r of rows) {
      const at = new Date(r.disclosed_at as string).toISOString();
      const seen = events.get(r.cluster_id)?.case_published;
      if (seen === undefined || at < seen) events.set(r.cluster_id, { case_published: at });
    }
    return events;
  },
};

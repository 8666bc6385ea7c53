import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import type { RetainedRecord, RetentionSource } from '../../../platform/retention.js';
import { blobColumns } from '../../../platform/retention.js';

/**
 * Frontier's records for retention: review material (uploaded files, and the raw logs of evaluations — an
 * evaluation's summary and measurements stay, its log goes) and the access log. Both count from the close
 * of their review.
 */

interface ReviewLink {
  review_id: string;
  review_owner: string;
  closed_at: string | null;
  /** The terms of the agreement version the review opened under (JSON), when there was one. */
  agreement_terms?: string | null;
}

/**
 * What the review's agreement lets the clearinghouse keep: material of a kind it names, for its days after
 * the review closed; material of a kind it does not name goes when the review closes.
 */
function agreementLimits(row: ReviewLink, kind: 'files' | 'evaluation_logs', agreement: string | null) {
  if (row.agreement_terms === null || row.agreement_terms === undefined) return [];
  const terms = (typeof row.agreement_terms === 'string' ? JSON.parse(row.agreement_terms) : row.agreement_terms) as {
    retention: { keep: string[]; days: number };
  };
  const days = terms.retention.keep.includes(kind) ? terms.retention.days : 0;
  return [{ after: 'review_closed', days, source: `voluntary testing agreement ${agreement ?? ''}`.trim() }];
}

function anchors(createdAt: string, review: ReviewLink): Record<string, string> {
  return review.closed_at === null ? { created: createdAt } : { created: createdAt, review_closed: review.closed_at };
}

async function materials(db: Executor, afterId: string | null, limit: number, orgId?: string): Promise<RetainedRecord[]> {
  // Files (frontier_material) and evaluation logs (frontier_evaluation with a blob) share the class; ids
  // have distinct prefixes, so one id order walks both.
  const columns = [
    'r.id as review_id',
    'r.owner_org_id as review_owner',
    'r.closed_at',
    'v.terms as agreement_terms',
    'r.agreement_id',
    'r.agreement_version',
  ] as const;
  let files = db
    .selectFrom('frontier_material as m')
    .innerJoin('frontier_review as r', 'r.id', 'm.review_id')
    .leftJoin('frontier_agreement_version as v', (j) =>
      j.onRef('v.agreement_id', '=', 'r.agreement_id').onRef('v.version', '=', 'r.agreement_version'),
    )
    .select(['m.id', 'm.sha256', 'm.created_at', sql<string>`'files'`.as('kind'), ...columns]);
  let logs = db
    .selectFrom('frontier_evaluation as e')
    .innerJoin('frontier_review as r', 'r.id', 'e.review_id')
    .leftJoin('frontier_agreement_version as v', (j) =>
      j.onRef('v.agreement_id', '=', 'r.agreement_id').onRef('v.version', '=', 'r.agreement_version'),
    )
    .select(['e.id', 'e.blob_sha256 as sha256', 'e.created_at', sql<string>`'evaluation_logs'`.as('kind'), ...columns])
    .where('e.blob_sha256', 'is not', null);
  if (afterId !== null) {
    files = files.where('m.id', '>', afterId);
    logs = logs.where('e.id', '>', afterId);
  }
  if (orgId !== undefined) {
    files = files.where('r.owner_org_id', '=', orgId);
    logs = logs.where('r.owner_org_id', '=', orgId);
  }
  type Row = ReviewLink & {
    id: string;
    sha256: string;
    created_at: string;
    kind: 'files' | 'evaluation_logs';
    agreement_id: string | null;
    agreement_version: number | null;
  };
  const rows = [
    ...((await files.orderBy('m.id').limit(limit).execute()) as Row[]),
    ...((await logs.orderBy('e.id').limit(limit).execute()) as Row[]),
  ]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  return rows.map((r) => ({
    recordId: r.id,
    dataClass: 'model_review_material',
    ownerOrgId: r.review_owner,
    createdAt: r.created_at,
    anchors: anchors(r.created_at, r),
    limits: agreementLimits(r, r.kind, r.agreement_id === null ? null : `${r.agreement_id} version ${r.agreement_version}`),
    holdKeys: { records: [r.id, r.review_id], cases: [], orgs: [r.review_owner] },
    clusterIds: [],
    blobs: [r.sha256],
  }));
}

async function accessLog(db: Executor, afterId: string | null, limit: number, orgId?: string): Promise<RetainedRecord[]> {
  let q = db
    .selectFrom('frontier_access_log as a')
    .innerJoin('frontier_review as r', 'r.id', 'a.review_id')
    .select(['a.id', 'a.org_id', 'a.grant_id', 'a.created_at', 'r.id as review_id', 'r.owner_org_id as review_owner', 'r.closed_at']);
  if (afterId !== null) q = q.where('a.id', '>', afterId);
  if (orgId !== undefined) q = q.where('a.org_id', '=', orgId);
  const rows = (await q.orderBy('a.id').limit(limit).execute()) as (ReviewLink & {
    id: string;
    org_id: string | null;
    grant_id: string | null;
    created_at: string;
  })[];
  return rows.map((r) => ({
    recordId: r.id,
    dataClass: 'access_log',
    ownerOrgId: r.org_id,
    createdAt: r.created_at,
    anchors: anchors(r.created_at, r),
    holdKeys: {
      records: [r.id, r.review_id, ...(r.grant_id === null ? [] : [r.grant_id])],
      cases: [],
      orgs: [...new Set([r.review_owner, ...(r.org_id === null ? [] : [r.org_id])])],
    },
    clusterIds: [],
    blobs: [],
  }));
}

export const frontierRetention: RetentionSource = {
  module: 'frontier',
  dataClasses: ['model_review_material', 'access_log'],
  async records(db, query) {
    if (query.dataClass === 'model_review_material') return materials(db, query.afterId, query.limit, query.orgId);
    if (query.dataClass === 'access_log') return accessLog(db, query.afterId, query.limit, query.orgId);
    return [];
  },
  async content(db, dataClass, ids) {
    if (ids.length === 0) return [];
    if (dataClass === 'access_log') {
      return (await db
        .selectFrom('frontier_access_log')
        .select(['id', 'review_id', 'grant_id', 'material_id', 'kind', 'actor', 'used_at', 'description', 'created_at'])
        .where('id', 'in', [...ids])
        .execute()) as Record<string, unknown>[];
    }
    if (dataClass === 'model_review_material') {
      const files = await db
        .selectFrom('frontier_material')
        .select(['id', 'review_id', 'name', 'media_type', 'sha256', 'size', 'created_at'])
        .where('id', 'in', [...ids])
        .execute();
      const logs = await db
        .selectFrom('frontier_evaluation')
        .select(['id', 'review_id', 'kind', 'title', 'filename', 'blob_sha256 as sha256', 'created_at'])
        .where('id', 'in', [...ids])
        .execute();
      return [...files, ...logs] as Record<string, unknown>[];
    }
    return [];
  },
  async purge(trx, dataClass, ids) {
    if (ids.length === 0) return [];
    if (dataClass === 'access_log') {
      const rows = (await trx
        .deleteFrom('frontier_access_log')
        .where('id', 'in', [...ids])
        .returning('id')
        .execute()) as { id: string }[];
      return rows.map((r) => r.id);
    }
    if (dataClass === 'model_review_material') {
      const files = (await trx
        .deleteFrom('frontier_material')
        .where('id', 'in', [...ids])
        .returning('id')
        .execute()) as { id: string }[];
      const logs = (await trx
        .updateTable('frontier_evaluation')
        .set({ blob_sha256: null, filename: null })
        .where('id', 'in', [...ids])
        .where('blob_sha256', 'is not', null)
        .returning('id')
        .execute()) as { id: string }[];
      return [...files, ...logs].map((r) => r.id);
    }
    return [];
  },
};

/** Review material, evaluation logs, and the evidence files of model-found vulnerabilities (a JSON list). */
export const frontierBlobReferences = {
  module: 'frontier',
  async referenced(db: Executor, sha256s: readonly string[]): Promise<Set<string>> {
    const found = await blobColumns('frontier', [
      { table: 'frontier_material', column: 'sha256' },
      { table: 'frontier_evaluation', column: 'blob_sha256' },
    ]).referenced(db, sha256s);
    const wanted = new Set(sha256s);
    const rows = (await db.selectFrom('frontier_vulnerability').select('evidence').execute()) as { evidence: unknown }[];
    for (const row of rows) {
      const evidence = (typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence) as { sha256?: string }[] | null;
      for (const e of evidence ?? []) if (e.sha256 !== undefined && wanted.has(e.sha256)) found.add(e.sha256);
    }
    return found;
  },
};

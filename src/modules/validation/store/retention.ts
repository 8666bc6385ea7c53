import { setRecipients } from '../../identity/index.js';
import { blobColumns, retainedPage, retainedRecord, type RetentionSource } from '../../../platform/retention.js';

/**
 * Validation's records for retention: proof-of-concept and reproduction evidence. Validation also says
 * when clusters were found invalid or closed, which every record of the cluster counts from.
 */

interface EvidenceRow {
  id: string;
  cluster_id: string;
  attempt_id: string | null;
  owner_org_id: string;
  sha256: string;
  created_at: string;
}

export const validationRetention: RetentionSource = {
  module: 'validation',
  dataClasses: ['poc_evidence'],
  async records(db, query) {
    if (query.dataClass !== 'poc_evidence') return [];
    const base = db.selectFrom('validation_evidence').select(['id', 'cluster_id', 'attempt_id', 'owner_org_id', 'sha256', 'created_at']);
    const rows = (await retainedPage(base, { id: 'id', org: 'owner_org_id' }, query).execute()) as EvidenceRow[];
    return rows.map((r) =>
      retainedRecord(
        'poc_evidence',
        {
          id: r.id,
          ownerOrgId: r.owner_org_id,
          createdAt: r.created_at,
          belongsTo: [r.cluster_id, ...(r.attempt_id === null ? [] : [r.attempt_id])],
        },
        { clusterIds: [r.cluster_id], blobs: [r.sha256] },
      ),
    );
  },
  async content(db, dataClass, ids) {
    if (dataClass !== 'poc_evidence' || ids.length === 0) return [];
    return (await db
      .selectFrom('validation_evidence')
      .select(['id', 'cluster_id', 'attempt_id', 'tlp', 'kind', 'filename', 'media_type', 'sha256', 'size', 'created_at'])
      .where('id', 'in', [...ids])
      .execute()) as Record<string, unknown>[];
  },
  async purge(trx, dataClass, ids) {
    if (dataClass !== 'poc_evidence' || ids.length === 0) return [];
    const rows = (await trx
      .deleteFrom('validation_evidence')
      .where('id', 'in', [...ids])
      .returning('id')
      .execute()) as { id: string }[];
    for (const { id } of rows) await setRecipients(trx, id, {});
    return rows.map((r) => r.id);
  },
  async clusterEvents(db, clusterIds) {
    const events = new Map<string, Record<string, string>>();
    if (clusterIds.length === 0) return events;
    const triage = (await db
      .selectFrom('validation_triage')
      .select(['cluster_id', 'state', 'verdict', 'decided_at'])
      .where('cluster_id', 'in', [...clusterIds])
      .execute()) as { cluster_id: string; state: string; verdict: string | null; decided_at: string | null }[];
    const closed = (await db
      .selectFrom('validation_transition')
      .select(['cluster_id', (eb) => eb.fn.max('at').as('at')])
      .where('cluster_id', 'in', [...clusterIds])
      .where('to_state', '=', 'closed')
      .groupBy('cluster_id')
      .execute()) as { cluster_id: string; at: string }[];
    const closedAt = new Map(closed.map((c) => [c.cluster_id, c.at]));
    for (const t of triage) {
      const e: Record<string, string> = {};
      if (t.verdict === 'invalid' && t.decided_at !== null) e.invalidated = t.decided_at;
      const at = closedAt.get(t.cluster_id);
      if (t.state === 'closed' && at !== undefined) e.cluster_closed = at;
      if (Object.keys(e).length > 0) events.set(t.cluster_id, e);
    }
    return events;
  },
};

export const validationBlobReferences = blobColumns('validation', [{ table: 'validation_evidence', column: 'sha256' }]);

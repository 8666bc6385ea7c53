import type { Static } from '@sinclair/typebox';
import { holds } from '../identity/index.js';
import type { ServiceContext } from '../../platform/context.js';
import { storedEnum } from '../../platform/db/index.js';
import { workJobCounts, workState } from '../../platform/jobs/index.js';
import { HOLD_SCOPE_KEYS } from './domain/legal-holds.js';
import {
  REMOVAL_STATUSES,
  type HoldSchema,
  type OrgExportSchema,
  type PurgeResultSchema,
  type RemovalRequestSchema,
  type RemovalSchema,
  type RetentionPlanSchema,
  type RetentionTableSchema,
  type TombstoneSchema,
  type TransparencyReportSchema,
} from './route-schemas.js';
import { removalTally } from './store/removals.js';
import type { StoredRetentionTable } from './store/retention-policy.js';
import type { HoldRow, RemovalRow, TombstoneRow } from './store/tables.js';

/**
 * What the API and CLI answer: the response schemas' types (route-schemas.ts), every field listed there once,
 * so that nothing leaks by accident. Stored enum columns are narrowed with `storedEnum`, which refuses a value
 * outside the domain's list.
 */

/** A version of the retention table as answered (the rules as stored; the domain reads them as `RetentionTable`). */
export type RetentionTableView = Static<typeof RetentionTableSchema>;

export type Hold = Static<typeof HoldSchema>;

export type RemovalStatus = (typeof REMOVAL_STATUSES)[number];

/** A removal request as its organisation's admins and coordinator admins read it. */
export type Removal = Static<typeof RemovalSchema>;

/** What a removal request answers: the removal, and whether this request made it (false: one was already under way). */
export type RemovalRequest = Static<typeof RemovalRequestSchema>;

/** A tombstone as answered: what went, when and why; never what it held. */
export type Tombstone = Static<typeof TombstoneSchema>;

/** What the purge would do at an instant, and why: the service computes exactly this, so no presenter maps it. */
export type RetentionPlan = Static<typeof RetentionPlanSchema>;
export type ClassPlan = RetentionPlan['classes'][number];
export type PlannedRecord = RetentionPlan['records'][number];

/** What one purge run deleted and found held, as its service returns it. */
export type PurgeResult = Static<typeof PurgeResultSchema>;

/** An organisation's export: every record of each class it owns (as its module stores it) and its tombstones. */
export type OrgExport = Static<typeof OrgExportSchema>;

/** The transparency report: the monthly figures (domain: TransparencyMetrics), the frontier program's metrics and the retention table's version. */
export type TransparencyReport = Static<typeof TransparencyReportSchema>;

export function presentRetentionTable(stored: StoredRetentionTable): RetentionTableView {
  return { version: stored.version, table: stored.table, note: stored.note, createdBy: stored.createdBy, createdAt: stored.createdAt };
}

export function presentHoldRow(row: HoldRow): Hold {
  return {
    id: row.id,
    scope: storedEnum(HOLD_SCOPE_KEYS, row.scope, 'governance_hold.scope'),
    targetId: row.target_id,
    reason: row.reason,
    placedBy: row.placed_by,
    placedAt: row.placed_at,
    releasedBy: row.released_by,
    releasedAt: row.released_at,
    releaseNote: row.release_note,
  };
}

/** Job counts only for those who may count every job (`governance.jobs.oversee`). */
export async function presentRemoval(ctx: ServiceContext, row: RemovalRow): Promise<Removal> {
  const counts = row.work_id === null ? null : await workJobCounts(ctx.db.kysely, row.work_id);
  const summary = row.summary === null ? null : (JSON.parse(row.summary) as { held?: number });
  return {
    id: row.id,
    orgId: row.org_id,
    status: storedEnum(REMOVAL_STATUSES, row.status, 'governance_removal.status'),
    requestedAt: row.requested_at,
    requestedBy: row.requested_by,
    reason: row.reason,
    completedAt: row.completed_at,
    removed: await removalTally(ctx.db.kysely, row.id),
    held: typeof summary?.held === 'number' ? summary.held : null,
    work:
      row.work_id === null || counts === null
        ? null
        : { id: row.work_id, state: workState(counts), jobs: holds(ctx.actor, 'governance.jobs.oversee') ? counts : null },
  };
}

export function presentTombstone(row: TombstoneRow): Tombstone {
  return {
    recordId: row.record_id,
    dataClass: row.data_class,
    module: row.module,
    ownerOrgId: row.owner_org_id,
    createdAt: row.created_at,
    expiredAt: row.expired_at,
    purgedAt: row.purged_at,
    cause: row.cause,
    reason: row.reason,
    policyVersion: row.policy_version,
  };
}

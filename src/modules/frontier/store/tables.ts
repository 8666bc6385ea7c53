import type { Kysely } from 'kysely';
import { visibleTo } from '../../identity/index.js';
import type { Actor } from '../../../platform/actor.js';
import { paginate, tables, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';

/** Row shapes of the frontier tables (see migrations/0001-init.ts). JSON columns are text. */

export interface PolicyRow {
  version: number;
  document: string;
  note: string;
  created_by: string;
  created_at: string;
}

/** Columns of every TLP-labelled record, read by identity's access policy. */
export interface Labelled {
  id: string;
  owner_org_id: string;
  tlp: string;
  created_by: string | null;
}

export interface ModelRow extends Labelled {
  name: string;
  name_key: string;
  version: string;
  modality: string;
  planned_release: string;
  compute_estimate_flop: number | null;
  description: string | null;
  contacts: string;
  created_at: string;
  updated_at: string;
}

export interface DeterminationRow {
  id: string;
  model_id: string;
  covered: number;
  determined_by_org_id: string;
  determined_at: string;
  policy_version: number;
  assessment_ref: string;
  recorded_by: string;
  created_at: string;
}

export interface ReviewRow {
  id: string;
  model_id: string;
  owner_org_id: string;
  requested_days: number;
  window_start: string;
  window_end: string;
  time_zone: string;
  policy_version: number;
  /** The voluntary testing agreement and its version in force when the review opened; null when none was. */
  agreement_id: string | null;
  agreement_version: number | null;
  outcome: string | null;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReviewEventRow {
  id: string;
  review_id: string;
  at: string;
  kind: string;
  actor: string;
  actor_org_id: string | null;
  restricted_to: string | null;
  detail: string;
}

export interface ReminderRow {
  review_id: string;
  lead_hours: number;
  window_end: string;
  sent_at: string;
}

export interface GrantRow extends Labelled {
  review_id: string;
  model_id: string;
  grantee_org_id: string;
  nomination_id: string | null;
  scope: string;
  terms: string;
  credential_ref: string | null;
  starts_at: string;
  expires_at: string;
  status: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  ended_at: string | null;
  end_reason: string | null;
  revocation_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface MaterialRow {
  id: string;
  review_id: string;
  name: string;
  media_type: string;
  sha256: string;
  size: number;
  created_by: string | null;
  created_at: string;
}

export interface AccessLogRow {
  id: string;
  review_id: string;
  grant_id: string | null;
  material_id: string | null;
  kind: string;
  org_id: string | null;
  actor: string;
  used_at: string;
  description: string | null;
  created_at: string;
}

export interface EvaluationRow extends Labelled {
  review_id: string;
  model_id: string;
  kind: string;
  title: string;
  blob_sha256: string | null;
  filename: string | null;
  summary: string;
  measurements: string;
  created_at: string;
}

export interface RiskFindingRow extends Labelled {
  review_id: string;
  model_id: string;
  evaluation_id: string | null;
  title: string;
  severity: string;
  description: string;
  recommendation: string | null;
  status: string;
  status_note: string | null;
  status_by: string | null;
  status_at: string | null;
  created_at: string;
}

export interface VulnerabilityRow extends Labelled {
  review_id: string;
  model_id: string;
  title: string;
  description: string;
  target: string | null;
  cwe: string;
  severity: string | null;
  cvss_vector: string | null;
  evidence: string;
  provenance: string;
  status: string;
  created_at: string;
}

export interface NominationRow extends Labelled {
  model_id: string;
  candidate_org_id: string;
  nominated_by_org_id: string | null;
  nominating_side: string;
  rationale: string;
  scope: string;
  facts: string;
  score: string | null;
  status: string;
  selected_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SignOffRow {
  nomination_id: string;
  org_id: string;
  side: string;
  user_id: string;
  note: string | null;
  score: string;
  signed_at: string;
}

export interface FrontierTables {
  frontier_policy: PolicyRow;
  frontier_model: ModelRow;
  frontier_determination: DeterminationRow;
  frontier_review: ReviewRow;
  frontier_review_event: ReviewEventRow;
  frontier_reminder: ReminderRow;
  frontier_grant: GrantRow;
  frontier_material: MaterialRow;
  frontier_access_log: AccessLogRow;
  frontier_evaluation: EvaluationRow;
  frontier_risk_finding: RiskFindingRow;
  frontier_vulnerability: VulnerabilityRow;
  frontier_nomination: NominationRow;
  frontier_sign_off: SignOffRow;
}

export const t = (executor: Executor): Kysely<FrontierTables> => tables<FrontierTables>(executor);

type TableWithId = { [K in keyof FrontierTables]: FrontierTables[K] extends { id: string } ? K : never }[keyof FrontierTables];
type LabelledTable = { [K in keyof FrontierTables]: FrontierTables[K] extends Labelled ? K : never }[keyof FrontierTables];

export async function insertRow<K extends keyof FrontierTables>(executor: Executor, table: K, row: FrontierTables[K]): Promise<void> {
  await executor
    .insertInto(table as string)
    .values(row)
    .execute();
}

export async function findRow<K extends TableWithId>(executor: Executor, table: K, id: string): Promise<FrontierTables[K] | undefined> {
  return (await executor
    .selectFrom(table as string)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as FrontierTables[K] | undefined;
}

/** Updates one row by id; with `when`, only while those columns still hold those values. True when it changed. */
export async function updateRow<K extends TableWithId>(
  executor: Executor,
  table: K,
  id: string,
  patch: Partial<FrontierTables[K]>,
  when: Partial<Record<keyof FrontierTables[K], string | null>> = {},
): Promise<boolean> {
  let q = executor
    .updateTable(table as string)
    .set(patch as Record<string, unknown>)
    .where('id', '=', id);
  for (const [column, value] of Object.entries(when)) q = value === null ? q.where(column, 'is', null) : q.where(column, '=', value);
  const result = await q.executeTakeFirst();
  return BigInt(result.numUpdatedRows) > 0n;
}

/**
 * A page of a labelled table's rows the actor may see (filtered in SQL by identity's `visibleTo`), newest
 * first, with equality filters on other columns.
 */
export async function pageVisible<K extends LabelledTable>(
  executor: Executor,
  actor: Actor,
  table: K,
  where: Partial<Record<keyof FrontierTables[K], string | undefined>>,
  page: PageRequest,
): Promise<Page<FrontierTables[K]>> {
  let q = executor
    .selectFrom(`${table as string} as x`)
    .selectAll('x')
    .where(visibleTo(actor, 'x'));
  for (const [column, value] of Object.entries(where)) if (value !== undefined) q = q.where(`x.${column}`, '=', value);
  const rows = await paginate(q, page, {
    sort: 'x.id',
    id: 'x.id',
    sortOf: (r) => String(r.id),
    idOf: (r) => String(r.id),
    direction: 'desc',
  });
  return rows as unknown as Page<FrontierTables[K]>;
}

export const parseJson = <T>(text: string | null): T => JSON.parse(text ?? 'null') as T;

import type { Kysely } from 'kysely';
import { chunks as chunkList, tables, type Executor } from '../../../platform/db/index.js';

export interface TriageRow {
  cluster_id: string;
  state: string;
  verdict: 'valid' | 'invalid' | null;
  invalid_reason: string | null;
  verdict_note: string | null;
  duplicate_of: string | null;
  decided_by: string | null;
  decided_at: string | null;
  active: number;
  merged_into: string | null;
  first_seen_at: string;
  report_count: number;
  reporter_count: number;
  cvss_base: number | null;
  confirmations: number;
  /** Queue score × 10 000. */
  score: number;
  queue_key: string;
  /** JSON: the QueueReason. */
  why: string;
  created_at: string;
  updated_at: string;
}

export interface TransitionRow {
  id: string;
  cluster_id: string;
  from_state: string;
  to_state: string;
  /** `verdict` (a coordinator decided) or `quorum` (enough independent confirmations). */
  basis: 'verdict' | 'quorum';
  reason: string | null;
  note: string | null;
  actor_org_id: string | null;
  actor: string;
  at: string;
}

export interface ReportRow {
  finding_id: string;
  cluster_id: string;
  submission_id: string;
  reporter_org_id: string;
  reporter_user_id: string | null;
  tool: string | null;
  model: string | null;
  /** `<tool>␟<model>`: the tool/model track record groups by it. */
  source_key: string;
  ai_generated: number | null;
  /** 1 when another organisation had reported the cluster first. */
  not_first: number;
  severity: number | null;
  severity_source: string;
  cvss_base: number | null;
  reported_at: string;
}

export interface AttemptRow {
  id: string;
  cluster_id: string;
  job_id: string | null;
  validator_org_id: string;
  validator_user_id: string | null;
  artifact: string;
  affected_build: string;
  fixed_build: string | null;
  environment: string;
  reproduced_affected: number;
  reproduced_fixed: number | null;
  confirms: number;
  /** JSON: IndependenceConflict[] found when recorded. */
  conflicts: string;
  notes: string | null;
  /** JSON: string[]. */
  steps: string;
  /** JSON: ValidatorAssessmentInput. */
  assessment: string;
  created_at: string;
}

export interface EvidenceRow {
  id: string;
  cluster_id: string;
  attempt_id: string | null;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  kind: string;
  filename: string;
  media_type: string | null;
  sha256: string;
  size: number;
  created_at: string;
}

export interface WorkRow {
  job_id: string;
  cluster_id: string;
  seq: number;
  opened_at: string;
  closed_at: string | null;
  claimed_org_id: string | null;
  claimed_user_id: string | null;
  claimed_at: string | null;
  lease_expires_at: string | null;
  attempt_id: string | null;
}

export interface QuotaOverrideRow {
  org_id: string;
  daily_limit: number | null;
  note: string;
  set_by: string;
  set_at: string;
}

export interface QuotaUsageRow {
  id: string;
  org_id: string;
  at: string;
}

/** An organisation's decided clusters holding one of its reports (see migration 0003). */
export interface ReporterRecordRow {
  org_id: string;
  valid: number;
  invalid: number;
}

export interface PolicyRow {
  version: number;
  document: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface ValidationTables {
  validation_triage: TriageRow;
  validation_transition: TransitionRow;
  validation_report: ReportRow;
  validation_attempt: AttemptRow;
  validation_evidence: EvidenceRow;
  validation_work: WorkRow;
  validation_quota_override: QuotaOverrideRow;
  validation_quota_usage: QuotaUsageRow;
  validation_policy: PolicyRow;
  validation_reporter_record: ReporterRecordRow;
}

export const t = (executor: Executor): Kysely<ValidationTables> => tables<ValidationTables>(executor);

/** Ids per `IN (…)` list: well under every database's bound-parameter limit. */
export const CHUNK = 500;

/** Splits a list into chunks of {@link CHUNK}. */
export const chunks = <T>(items: readonly T[]): T[][] => chunkList(items, CHUNK);

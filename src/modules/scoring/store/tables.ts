import { sql, type Kysely, type RawBuilder } from 'kysely';
import { chunks as chunkList, tables, type Executor } from '../../../platform/db/index.js';

/** Row types of the scoring tables (see ../migrations/0001-init.ts). JSON columns are text; timestamps ISO strings. */

export interface KevEntryRow {
  cve_id: string;
  vendor_project: string;
  product: string;
  vulnerability_name: string;
  date_added: string;
  due_date: string;
  known_ransomware_campaign_use: string;
  /** The catalog release this entry's current fields came from. */
  catalog_version: string;
  date_released: string;
  first_seen_at: string;
  updated_at: string;
  /** Set while CISA has withdrawn the entry; cleared if it comes back. */
  removed_at: string | null;
  removed_in_catalog: string | null;
}

export interface KevImportRow {
  id: string;
  catalog_version: string;
  date_released: string;
  previous_catalog_version: string | null;
  imported_at: string;
  imported_by: string;
  source: string;
  sha256: string;
  entry_count: number;
  /** JSON arrays of CVE ids; `changed` holds `{cveId, fields}`. */
  added: string;
  removed: string;
  changed: string;
}

export interface EpssScoreRow {
  cve_id: string;
  score_date: string;
  epss: number;
  percentile: number;
  model_version: string | null;
}

export interface EpssImportRow {
  id: string;
  imported_at: string;
  imported_by: string;
  source: string;
  sha256: string;
  format: string;
  model_version: string | null;
  /** JSON array of `YYYY-MM-DD`. */
  score_dates: string;
  row_count: number;
  stored_count: number;
  latest_changed_count: number;
}

export interface PolicyRow {
  revision: number;
  version: string;
  document: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface FeedSourceRow {
  feed: string;
  url: string;
  enabled: number;
  every_hours: number;
  updated_by: string;
  updated_at: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
}

/** The current decision, narrow: what lists, comparisons and re-prioritization read without parsing JSON. */
export interface DecisionRow {
  subject_id: string;
  org_id: string | null;
  revision: number;
  outcome: string;
  outcome_since: string;
  vendor_fix_due_at: string;
  exploitation: string;
  automatable: string;
  technical_impact: string;
  mission_wellbeing: string;
  supplier_outcome: string;
  policy_version: string;
  epss: number | null;
  epss_percentile: number | null;
  epss_date: string | null;
  epss_cve_id: string | null;
  exposure_count: number;
  cvss_vector: string | null;
  /** SHA-256 of the explanation and supplier decision without the parts kept in columns (EPSS, CVSS, deadline). */
  detail_hash: string;
  evaluated_at: string;
  created_at: string;
}

export interface DecisionDetailRow {
  subject_id: string;
  /** The explicit inputs kept (`PrioritizeInput` without subject id and reason), canonical JSON as written. */
  inputs: string;
  explanation: string;
  supplier: string;
}

export interface DecisionHistoryRow {
  id: string;
  subject_id: string;
  revision: number;
  at: string;
  reason: string;
  outcome: string;
  previous_outcome: string | null;
  /** JSON `{field: [before, after]}`. */
  changes: string;
  /** The full explanation when the outcome or an SSVC input changed; null for tie-breaker moves. */
  explanation: string | null;
}

export interface SubjectCveRow {
  subject_id: string;
  cve_id: string;
}

export interface CvssScoreRow {
  subject_id: string;
  vector: string;
  version: string;
  base: number;
  overall: number;
  severity: string;
  scores: string;
  scored_at: string;
}

export interface ScoringTables {
  scoring_kev_entry: KevEntryRow;
  scoring_kev_import: KevImportRow;
  scoring_epss_score: EpssScoreRow;
  scoring_epss_latest: EpssScoreRow;
  scoring_epss_import: EpssImportRow;
  scoring_policy: PolicyRow;
  scoring_feed_source: FeedSourceRow;
  scoring_decision: DecisionRow;
  scoring_decision_detail: DecisionDetailRow;
  scoring_decision_history: DecisionHistoryRow;
  scoring_subject_cve: SubjectCveRow;
  scoring_cvss_score: CvssScoreRow;
}

export const t = (executor: Executor): Kysely<ScoringTables> => tables<ScoringTables>(executor);

/**
 * Rows per multi-row statement: SQLite allows 32,766 bound parameters and PostgreSQL 65,535, and the
 * widest table here has 21 columns.
 */
export const ROWS_PER_STATEMENT = 500;

/** Splits `rows` into statement-sized chunks. */
export const chunks = <T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] => chunkList(rows, size);

/** `ON CONFLICT … DO UPDATE SET column = excluded.column` for each of these columns (both dialects spell it so). */
export function fromExcluded<Row>(columns: readonly (keyof Row & string)[]): { [K in keyof Row]?: RawBuilder<Row[K]> } {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as { [K in keyof Row]?: RawBuilder<Row[K]> };
}

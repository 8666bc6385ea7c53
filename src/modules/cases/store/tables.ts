import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

/** Row shapes of the cases tables (migrations/0001-init.ts). JSON columns are text; booleans integers. */

export interface CaseNumberRow {
  year: number;
  last: number;
}

export interface CaseRow {
  id: string;
  number: string;
  owner_org_id: string;
  created_by: string | null;
  title: string;
  description: string | null;
  opened_by: string;
  exploited: number;
  embargo: string;
  embargo_state: string;
  embargo_ends_at: string | null;
  disclosed_at: string | null;
  /** The disclosure policy version the embargo was last decided under (0: the built-in defaults). */
  disclosure_policy_version: number | null;
  /** When the earliest report behind the case's clusters arrived (null: opened before this was kept). */
  first_reported_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VulnerabilityRow {
  case_id: string;
  cluster_id: string;
  position: number;
  title: string | null;
  aliases: string;
  cwes: string;
  purls: string;
}

export interface ParticipantRow {
  case_id: string;
  org_id: string;
  role: string;
  state: string;
  source: string;
  matches: string;
  note: string | null;
  notified_at: string | null;
  seen_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VendorScopeRow {
  org_id: string;
  scope: string;
  type: string;
  created_by: string | null;
  created_at: string;
}

export interface StatementRow {
  id: string;
  case_id: string;
  vendor_org_id: string;
  cluster_id: string;
  product_key: string;
  status: string;
  content: string;
  share_before_publication: number;
  approval: string;
  version: number;
  source: string;
  created_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TimelineRow {
  id: string;
  case_id: string;
  audience_org_id: string | null;
  kind: string;
  actor_org_id: string | null;
  actor_user_id: string | null;
  data: string;
  at: string;
}

export interface PostRow {
  id: string;
  case_id: string;
  channel: string;
  author_org_id: string | null;
  author_user_id: string | null;
  body: string;
  created_at: string;
}

export interface CnaBlockRow {
  id: string;
  year: number;
  first: number;
  last: number;
  next: number;
  created_by: string | null;
  created_at: string;
}

export interface CveQuotaRow {
  org_id: string;
  quota: number;
  updated_at: string;
}

export interface CveRow {
  cve_id: string;
  block_id: string;
  state: string;
  org_id: string;
  case_id: string | null;
  cluster_id: string | null;
  reserved_by: string | null;
  reserved_at: string;
  updated_at: string;
}

export interface DisclosurePolicyRow {
  version: number;
  document: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface CasesTables {
  cases_disclosure_policy: DisclosurePolicyRow;
  cases_number: CaseNumberRow;
  cases_case: CaseRow;
  cases_vulnerability: VulnerabilityRow;
  cases_participant: ParticipantRow;
  cases_vendor_scope: VendorScopeRow;
  cases_statement: StatementRow;
  cases_timeline: TimelineRow;
  cases_post: PostRow;
  cases_cna_block: CnaBlockRow;
  cases_cve_quota: CveQuotaRow;
  cases_cve: CveRow;
}

export const t = (executor: Executor): Kysely<CasesTables> => tables<CasesTables>(executor);

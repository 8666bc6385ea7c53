import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

/** Row shapes of the advisories tables (migrations/0001-init.ts). */

export interface AdvisoryRow {
  id: string;
  case_id: string;
  tracking_id: string;
  category: string;
  title: string;
  status: string;
  tlp: string;
  owner_org_id: string;
  created_by: string | null;
  draft_sha256: string;
  draft_fingerprint: string;
  version: number;
  path: string | null;
  published_fingerprint: string | null;
  published_at: string | null;
  current_release_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RevisionRow {
  advisory_id: string;
  number: number;
  summary: string;
  document_sha256: string;
  sha256_file: string;
  sha512_file: string;
  asc_file: string;
  key_fingerprint: string;
  published_by: string | null;
  published_at: string;
}

export interface AdvisoriesTables {
  advisories_advisory: AdvisoryRow;
  advisories_revision: RevisionRow;
}

export const t = (executor: Executor): Kysely<AdvisoriesTables> => tables<AdvisoriesTables>(executor);

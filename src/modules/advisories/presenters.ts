import type { Tlp } from '../../platform/tlp.js';
import type { AdvisoryCategory } from './domain/advisory-source.js';
import { tlpDirectory } from './domain/provider-files.js';
import type { AdvisoryRow, RevisionRow } from './store/tables.js';

/** What the API and CLI answer; every field listed, so that nothing leaks by accident. */

export interface AdvisorySummary {
  readonly id: string;
  readonly caseId: string;
  /** CSAF `document.tracking.id`: the case number. */
  readonly trackingId: string;
  readonly category: AdvisoryCategory;
  readonly title: string;
  readonly status: 'draft' | 'published';
  readonly tlp: Tlp;
  /** The latest published revision; 0 while a draft. */
  readonly version: number;
  /** Where the CSAF provider serves the published document (below the server's base URL); null for a draft. */
  readonly path: string | null;
  readonly publishedAt: string | null;
  readonly currentReleaseAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AdvisoryRevisionView {
  readonly number: number;
  readonly summary: string;
  readonly publishedAt: string;
  readonly keyFingerprint: string;
  readonly sha256: string;
}

export interface AdvisoryDetail extends AdvisorySummary {
  readonly revisions: readonly AdvisoryRevisionView[];
  /** Whether the reader may read the current draft (the case's participants and coordinators). */
  readonly draftReadable: boolean;
}

export function providerPath(row: Pick<AdvisoryRow, 'path'>): string | null {
  return row.path === null ? null : `${tlpDirectory('WHITE')}/${row.path}`;
}

export function presentAdvisory(row: AdvisoryRow): AdvisorySummary {
  return {
    id: row.id,
    caseId: row.case_id,
    trackingId: row.tracking_id,
    category: row.category as AdvisoryCategory,
    title: row.title,
    status: row.status as 'draft' | 'published',
    tlp: row.tlp as Tlp,
    version: row.version,
    path: providerPath(row),
    publishedAt: row.published_at,
    currentReleaseAt: row.current_release_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentRevision(row: RevisionRow): AdvisoryRevisionView {
  return {
    number: row.number,
    summary: row.summary,
    publishedAt: row.published_at,
    keyFingerprint: row.key_fingerprint,
    sha256: row.document_sha256,
  };
}

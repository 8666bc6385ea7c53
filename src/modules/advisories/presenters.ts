import type { Static } from '@sinclair/typebox';
import type { Tlp } from '../../platform/tlp.js';
import type { AdvisoryCategory } from './domain/advisory-source.js';
import { tlpDirectory } from './domain/provider-files.js';
import type { AdvisoryDetailSchema, AdvisoryRevisionSchema, AdvisorySummarySchema } from './route-schemas.js';
import type { AdvisoryRow, RevisionRow } from './store/tables.js';

/**
 * What the API and CLI answer: the response schemas' types (route-schemas.ts), every field listed there
 * once, so that nothing leaks by accident and nothing vanishes from the API.
 */
export type AdvisorySummary = Static<typeof AdvisorySummarySchema>;
/** A published revision: its number, when, and the key and SHA-256 of the document it published. */
export type AdvisoryRevision = Static<typeof AdvisoryRevisionSchema>;
export type AdvisoryDetail = Static<typeof AdvisoryDetailSchema>;

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

export function presentRevision(row: RevisionRow): AdvisoryRevision {
  return {
    number: row.number,
    summary: row.summary,
    publishedAt: row.published_at,
    keyFingerprint: row.key_fingerprint,
    sha256: row.document_sha256,
  };
}

import type { PrioritizeInput } from '../domain/prioritize-input.js';

/** Small feed documents in the published shapes, and subjects to prioritize, for the service tests. */

export interface KevFixtureEntry {
  readonly cveID: string;
  readonly dateAdded?: string;
  readonly dueDate?: string;
  readonly knownRansomwareCampaignUse?: string;
}

/** A KEV catalog JSON document (CISA's schema) holding these entries. */
export function kevCatalogJson(catalogVersion: string, dateReleased: string, entries: readonly KevFixtureEntry[]): string {
  return JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion,
    dateReleased,
    count: entries.length,
    vulnerabilities: entries.map((e) => ({
      cveID: e.cveID,
      vendorProject: 'Acme',
      product: 'Widget',
      vulnerabilityName: `Acme Widget flaw ${e.cveID}`,
      dateAdded: e.dateAdded ?? '2026-05-01',
      shortDescription: 'A flaw.',
      requiredAction: 'Apply the update.',
      dueDate: e.dueDate ?? '2026-05-22',
      knownRansomwareCampaignUse: e.knownRansomwareCampaignUse ?? 'Unknown',
      notes: '',
    })),
  });
}

/** Parses a KEV catalog document back, to derive changed versions of a real one. */
export function kevDocument(text: string): {
  catalogVersion: string;
  dateReleased: string;
  count: number;
  vulnerabilities: Record<string, unknown>[];
} {
  return JSON.parse(text) as ReturnType<typeof kevDocument>;
}

/** FIRST's daily EPSS CSV for one day. */
export function epssCsv(scoreDate: string, scores: readonly (readonly [string, number, number])[]): string {
  return [
    `#model_version:v2025.03.14,score_date:${scoreDate}T00:00:00+0000`,
    'cve,epss,percentile',
    ...scores.map(([cve, e, p]) => `${cve},${e},${p}`),
    '',
  ].join('\n');
}

/** An EPSS API response for these scores. */
export function epssApiJson(scores: readonly (readonly [string, number, number, string])[]): string {
  return JSON.stringify({
    status: 'OK',
    'status-code': 200,
    total: scores.length,
    offset: 0,
    limit: 100,
    data: scores.map(([cve, e, p, date]) => ({ cve, epss: String(e), percentile: String(p), date })),
  });
}

/** A subject validated as automatable with total impact, exposed at one high-criticality energy asset. */
export function subject(subjectId: string, overrides: Partial<PrioritizeInput> = {}): PrioritizeInput {
  return {
    subjectId,
    cveIds: [],
    validation: { validator: 'org_validator', assessedAt: '2026-06-01T00:00:00.000Z', automatable: 'yes', technicalImpact: 'total' },
    exposure: [{ operatorId: 'org_op', assetId: `ast_${subjectId}`, sector: 'energy', criticality: 'high', internetFacing: true }],
    ...overrides,
  };
}

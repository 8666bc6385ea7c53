import type { CisaAdpSsvc } from '../cisa-adp-ssvc.js';
import type { ExposedAsset } from '../exposure.js';
import type { KevEntry } from '../kev-catalog.js';
import type { PriorityInputs } from '../priority-decision.js';

/** Small, explicit inputs for the prioritization tests. */

export function asset(overrides: Partial<ExposedAsset> & Pick<ExposedAsset, 'assetId'>): ExposedAsset {
  return { operatorId: 'org_op1', sector: 'information_technology', criticality: 'moderate', internetFacing: false, ...overrides };
}

export function kevEntry(cveId: string, overrides: Partial<KevEntry> = {}): KevEntry {
  return {
    cveId,
    vendorProject: 'Acme',
    product: 'Widget',
    vulnerabilityName: 'Acme Widget RCE',
    dateAdded: '2026-06-01',
    dueDate: '2026-06-22',
    knownRansomwareCampaignUse: 'unknown',
    catalogVersion: '2026.06.01',
    dateReleased: '2026-06-01T17:00:00.000Z',
    ...overrides,
  };
}

export function cisaAdp(cveId: string, values: Pick<CisaAdpSsvc, 'exploitation' | 'automatable' | 'technicalImpact'>): CisaAdpSsvc {
  return {
    cveId,
    role: 'CISA Coordinator',
    version: '2.0.3',
    timestamp: '2026-05-30T10:00:00Z',
    pointer: '/containers/adp/0/metrics/0/other',
    ...values,
  };
}

/** Nothing known: no KEV, no validation, no exploit, no enrichment, exposure not computed. */
export const NOTHING_KNOWN: PriorityInputs = {
  kev: null,
  validation: null,
  publicExploitReferences: [],
  cisaAdp: null,
  exposure: null,
  epss: null,
  cvss: null,
};

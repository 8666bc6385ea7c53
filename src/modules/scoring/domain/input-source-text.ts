import type { MissionWellbeingSource } from './exposure.js';
import type { InputSource } from './ssvc-input-sources.js';

/**
 * What an SSVC input rests on, in words: public catalogues by name, the clearinghouse's own work without
 * ids unless `withIds` (a coordinator's view: the validating organisation, the exploit references).
 */
export function describeInputSource(source: InputSource, withIds = false): string {
  switch (source.kind) {
    case 'kev':
      return `CISA KEV: ${source.cveId} added ${source.dateAdded}${source.knownRansomwareCampaignUse === 'known' ? ', used by ransomware' : ''}`;
    case 'validation':
      return `the clearinghouse's validation${withIds ? ` by ${source.validator}` : ''} (${source.assessedAt.slice(0, 10)})`;
    case 'cisa-adp':
      return `CISA's enrichment of ${source.cveId}`;
    case 'public-exploit':
      return withIds ? `public exploit: ${source.references.join(', ')}` : 'a public exploit is referenced';
    case 'no-evidence':
      return 'no evidence of exploitation';
    case 'policy-default':
      return `policy ${source.policyVersion} default (nobody assessed it)`;
  }
}

/** Mission and well-being impact's basis: the exposure counted across operators, or the policy default. */
export function describeMissionWellbeingSource(source: MissionWellbeingSource): string {
  if (source.kind === 'policy-default') return `policy ${source.policyVersion} default (${source.reason})`;
  const e = source.exposure;
  const sectors = e.sectors.length === 0 ? 'no sector' : e.sectors.join(', ');
  return `exposure: ${e.operatorCount} operator(s), ${e.assetCount} asset(s) in ${sectors}; prevalence ${source.missionPrevalence}, public well-being ${source.publicWellbeing}`;
}

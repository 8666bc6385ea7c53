import type { SourceFormat } from './finding.js';
import { isRecord, type JsonRecord } from './json-access.js';
import { NATIVE_SCHEMA_MARKER } from './native-schema.js';

/**
 * Recognizes the format of a parsed document by the markers each format requires, and names the formats
 * people send by mistake (SBOMs, NVD API responses, CSAF feeds), so the answer says what to send instead.
 */

export type Detection = { readonly format: SourceFormat } | { readonly format: null; readonly reason: string };

// Documents that are close to, but not, something intake reads: marker test → what it is, what to do.
const LOOKALIKES: readonly [(doc: JsonRecord) => boolean, string][] = [
  [(d) => d['bomFormat'] === 'CycloneDX', 'a CycloneDX SBOM; SBOMs are uploaded to the inventory, not submitted as findings'],
  [
    (d) => typeof d['spdxVersion'] === 'string' || JSON.stringify(d['@context'] ?? '').includes('spdx'),
    'an SPDX SBOM; SBOMs are uploaded to the inventory',
  ],
  [
    (d) => d['format'] === 'NVD_CVE' || Array.isArray(d['CVE_Items']),
    'an NVD CVE API or feed response; submit the CVE JSON 5 record (cvelistV5) instead',
  ],
  [(d) => typeof d['catalogVersion'] === 'string', "CISA's KEV catalog; it is a scoring feed, not a submission"],
  [
    (d) => typeof d['ghsaId'] === 'string' || typeof d['ghsa_id'] === 'string',
    'a GitHub advisory REST object; submit its OSV export instead',
  ],
  [(d) => 'cnaContainer' in d || 'adpContainer' in d, 'a bare CVE container; submit the whole CVE JSON 5 record'],
  [(d) => typeof d['canonical_url'] === 'string' && 'publisher' in d, 'CSAF provider metadata; submit the advisories it lists'],
  [(d) => 'aggregator' in d, 'CSAF aggregator metadata; submit the advisories it lists'],
  [
    (d) => 'feed' in d || 'service' in d || ('categories' in d && !('document' in d)),
    'a ROLIE feed or service document; submit the advisories it lists',
  ],
];

/**
 * The format of a parsed document, or the reason none fits. Markers:
 * native `schema: "clearinghouse/findings@…"`; SARIF `runs` (or a `$schema` naming SARIF);
 * CSAF `document.csaf_version`; CVE 5 `dataType: "CVE_RECORD"` or `cveMetadata` + `containers`;
 * OSV `id` + `modified` (the two fields OSV requires).
 */
export function detectFormat(value: unknown): Detection {
  if (Array.isArray(value)) return { format: null, reason: 'the document is a JSON array; submit one document per file' };
  if (!isRecord(value)) return { format: null, reason: 'the document is not a JSON object' };
  const schema = value['schema'];
  if (typeof schema === 'string' && schema.startsWith(NATIVE_SCHEMA_MARKER.split('@')[0] ?? '')) return { format: 'native' };
  if (Array.isArray(value['runs']) || (typeof value['$schema'] === 'string' && /sarif/i.test(value['$schema']))) return { format: 'sarif' };
  if (isRecord(value['document']) && 'csaf_version' in value['document']) return { format: 'csaf' };
  if (value['dataType'] === 'CVE_RECORD' || (isRecord(value['cveMetadata']) && isRecord(value['containers']))) return { format: 'cve5' };
  if (typeof value['id'] === 'string' && typeof value['modified'] === 'string') return { format: 'osv' };
  for (const [matches, what] of LOOKALIKES) {
    if (matches(value)) return { format: null, reason: `the document is ${what}` };
  }
  return {
    format: null,
    reason:
      'the document is none of SARIF 2.1.0 (runs), OSV (id and modified), CVE JSON 5 (dataType CVE_RECORD), ' +
      `CSAF 2.0 (document.csaf_version) or native (schema "${NATIVE_SCHEMA_MARKER}")`,
  };
}

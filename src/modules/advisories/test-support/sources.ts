import type { AdvisoryProduct, AdvisorySource, AdvisoryVulnerability } from '../domain/advisory-source.js';

/** A two-vendor case as an advisory source: ACME affected (fixed in 2.4.1), Globex not affected. */
export const acmeWidget: AdvisoryProduct = {
  vendorKey: 'org_acme',
  vendor: 'ACME',
  name: '@acme/widget',
  version: '2.4.0',
  purl: 'pkg:npm/%40acme/widget@2.4.0',
  cpe: null,
};
export const globexGadget: AdvisoryProduct = {
  vendorKey: 'org_globex',
  vendor: 'Globex',
  name: 'gadget',
  version: '3.1',
  purl: null,
  cpe: 'cpe:2.3:a:globex:gadget:3.1:*:*:*:*:*:*:*',
};

export function caseVulnerability(overrides: Partial<AdvisoryVulnerability> = {}): AdvisoryVulnerability {
  return {
    cve: 'CVE-2026-50001',
    ids: [{ systemName: 'Clearinghouse case', text: 'CH-2026-0001' }],
    title: 'Path traversal in archive extraction',
    description: 'Archive entries are written outside the target directory (zip slip).',
    cwe: 'CWE-22',
    cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    references: [{ url: 'https://acme.example/security/2026-01', summary: 'ACME advisory' }],
    acknowledgments: [{ names: ['Ada Researcher'], organization: 'Example Lab' }],
    exploited: false,
    discoveryDate: '2026-06-01T00:00:00.000Z',
    statements: [
      {
        product: acmeWidget,
        status: 'fixed',
        justification: null,
        impactStatement: null,
        actionStatement: null,
        fixedVersions: ['2.4.1'],
        fixUrl: 'https://acme.example/download',
        fixText: null,
        text: 'Fixed in 2.4.1; upgrade.',
      },
      {
        product: globexGadget,
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impactStatement: 'Gadget does not extract archives.',
        actionStatement: null,
        fixedVersions: [],
        fixUrl: null,
        fixText: null,
        text: null,
      },
    ],
    ...overrides,
  };
}

export function caseSource(overrides: Partial<AdvisorySource> = {}): AdvisorySource {
  return {
    category: 'csaf_security_advisory',
    trackingId: 'CH-2026-0001',
    title: 'Path traversal in ACME Widget',
    publisher: {
      name: 'Clearinghouse Coordination Center',
      namespace: 'https://clearinghouse.example',
      contactDetails: 'cert@clearinghouse.example',
    },
    tlp: 'CLEAR',
    status: 'final',
    revisions: [{ number: '1', date: '2026-07-20T21:00:00.000Z', summary: 'Initial publication.' }],
    generatedAt: '2026-07-20T21:00:00.000Z',
    summary: 'A path traversal in ACME Widget 2.4.0, fixed in 2.4.1; Globex Gadget is not affected.',
    selfUrl: 'https://clearinghouse.example/.well-known/csaf/white/2026/ch-2026-0001.json',
    externalReferences: [],
    vulnerabilities: [caseVulnerability()],
    engine: { name: 'Clearinghouse', version: '0.1.0' },
    ...overrides,
  };
}

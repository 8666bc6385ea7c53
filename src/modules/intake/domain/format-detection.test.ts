import { describe, expect, it } from 'vitest';
import { detectFormat } from './format-detection.js';

describe('detectFormat', () => {
  it.each([
    [{ schema: 'clearinghouse/findings@1', findings: [] }, 'native'],
    [{ version: '2.1.0', runs: [] }, 'sarif'],
    [{ $schema: 'https://json.schemastore.org/sarif-2.1.0.json' }, 'sarif'],
    [{ document: { csaf_version: '2.0' } }, 'csaf'],
    [{ dataType: 'CVE_RECORD' }, 'cve5'],
    [{ cveMetadata: {}, containers: {} }, 'cve5'],
    [{ id: 'GO-2020-0001', modified: '2023-01-01T00:00:00Z' }, 'osv'],
  ])('recognizes %j as %s', (doc, format) => {
    expect(detectFormat(doc)).toEqual({ format });
  });

  it.each([
    [{ bomFormat: 'CycloneDX' }, /CycloneDX SBOM/],
    [{ spdxVersion: 'SPDX-2.3' }, /SPDX SBOM/],
    [{ format: 'NVD_CVE', vulnerabilities: [] }, /NVD/],
    [{ CVE_Items: [] }, /NVD/],
    [{ catalogVersion: '2025.08.25', vulnerabilities: [] }, /KEV/],
    [{ ghsaId: 'GHSA-mr95-9rr4-668f' }, /GitHub advisory/],
    [{ adpContainer: {} }, /bare CVE container/],
    [{ canonical_url: 'https://x/provider-metadata.json', publisher: {} }, /provider metadata/],
    [{ aggregator: {} }, /aggregator/],
    [{ feed: {} }, /ROLIE/],
    [[{ cve: {} }], /JSON array/],
    ['text', /not a JSON object/],
    [{ hello: 'world' }, /none of SARIF 2\.1\.0/],
  ])('names what %j is instead', (doc, reason) => {
    const detection = detectFormat(doc);
    expect(detection.format).toBeNull();
    expect(detection.format === null && detection.reason).toMatch(reason);
  });
});

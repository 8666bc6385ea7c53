import { describe, expect, it } from 'vitest';
import { UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';

const date = '2024-05-01T00:00:00.000Z';

function advisory(overrides: Record<string, unknown> = {}) {
  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      distribution: { tlp: { label: 'WHITE' } },
      publisher: { category: 'vendor', name: 'Example Vendor', namespace: 'https://vendor.example' },
      title: 'Example VEX',
      tracking: {
        current_release_date: date,
        id: 'EX-VEX-2024-1',
        initial_release_date: date,
        revision_history: [{ date, number: '1', summary: 'Initial' }],
        status: 'final',
        version: '1',
      },
    },
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: 'Example',
          branches: [
            {
              category: 'product_name',
              name: 'Gateway',
              branches: [
                {
                  category: 'product_version',
                  name: '2.1',
                  product: {
                    name: 'Gateway 2.1',
                    product_id: 'GW-2.1',
                    product_identification_helper: { cpe: 'cpe:2.3:a:example:gateway:2.1:*:*:*:*:*:*:*' },
                  },
                },
                { category: 'product_version', name: '2.2', product: { name: 'Gateway 2.2', product_id: 'GW-2.2' } },
              ],
            },
          ],
        },
        {
          category: 'product_version',
          name: 'log4j-core-2.14.1',
          product: {
            name: 'log4j-core 2.14.1',
            product_id: 'LOG4J',
            product_identification_helper: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' },
          },
        },
      ],
      relationships: [
        {
          category: 'default_component_of',
          product_reference: 'LOG4J',
          relates_to_product_reference: 'GW-2.1',
          full_product_name: { name: 'log4j-core 2.14.1 as a component of Gateway 2.1', product_id: 'GW-2.1:LOG4J' },
        },
      ],
      product_groups: [{ group_id: 'ALL-GW', product_ids: ['GW-2.1', 'GW-2.2'] }],
    },
    vulnerabilities: [
      {
        cve: 'CVE-2021-44228',
        cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
        ids: [
          { system_name: 'GitHub', text: 'GHSA-jfh8-c2jp-5v3q' },
          { system_name: 'Bugzilla', text: '2030932' },
        ],
        notes: [{ category: 'description', text: 'Log4Shell.' }],
        product_status: { known_affected: ['GW-2.1:LOG4J'], known_not_affected: ['GW-2.2'], fixed: ['GW-9'] },
        flags: [{ label: 'component_not_present', product_ids: ['GW-2.2'] }],
        threats: [{ category: 'impact', details: 'Remote code execution.', group_ids: ['ALL-GW'] }],
        remediations: [{ category: 'vendor_fix', details: 'Update.', product_ids: ['GW-2.1:LOG4J'] }],
        scores: [
          {
            products: ['GW-2.1:LOG4J'],
            cvss_v3: {
              version: '3.1',
              vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
              baseScore: 10,
              baseSeverity: 'CRITICAL',
            },
          },
        ],
      },
    ],
    ...overrides,
  };
}

describe('CSAF 2.0', () => {
  it('makes one finding per vulnerability and product, with the status kept', () => {
    const parsed = parseSubmission(JSON.stringify(advisory()));
    expect(parsed).toMatchObject({ format: 'csaf', formatVersion: '2.0', documentId: 'EX-VEX-2024-1', suggestedTlp: 'CLEAR' });
    expect(parsed.findings.map((f) => [f.ref, f.productId, f.productStatus?.status])).toEqual([
      ['/vulnerabilities/0', 'GW-9', 'fixed'],
      ['/vulnerabilities/0', 'GW-2.1:LOG4J', 'known_affected'],
      ['/vulnerabilities/0', 'GW-2.2', 'known_not_affected'],
    ]);
  });

  it('resolves relationship products to the component purl and the platform CPE', () => {
    const finding = parseSubmission(JSON.stringify(advisory())).findings[1];
    expect(finding?.targets.map((t) => t.identity)).toEqual(['pkg:maven/org.apache.logging.log4j/log4j-core', 'cpe:a:example:gateway']);
    expect(finding?.productStatus?.product.platform).toEqual({
      id: 'GW-2.1',
      name: 'Gateway 2.1',
      cpe: 'cpe:2.3:a:example:gateway:2.1:*:*:*:*:*:*:*',
    });
    expect(finding?.affected[0]?.versions).toEqual(['2.14.1']);
    expect(finding?.severities[0]).toMatchObject({ kind: 'cvss', version: '3.1', baseScore: 10, source: 'csaf' });
    expect(finding?.productStatus).toMatchObject({ justification: null, remediations: ['vendor_fix'], impact: null });
  });

  it('keeps the VEX justification and the impact statement given through a product group', () => {
    const finding = parseSubmission(JSON.stringify(advisory())).findings[2];
    expect(finding?.productStatus).toMatchObject({
      justification: 'component_not_present',
      remediations: [],
      impact: 'Remote code execution.',
    });
    expect(finding?.targets.map((t) => t.identity)).toEqual(['product:example/gateway']);
  });

  it('takes CVE and recognizable ids as aliases, not tracker numbers', () => {
    const finding = parseSubmission(JSON.stringify(advisory())).findings[0];
    expect(finding?.aliases).toEqual([
      { id: 'CVE-2021-44228', source: 'record', pointer: '/vulnerabilities/0/cve' },
      { id: 'GHSA-jfh8-c2jp-5v3q', source: 'alias', pointer: '/vulnerabilities/0/ids/0/text' },
    ]);
    expect(finding?.cwes).toEqual(['CWE-502']);
    expect(finding?.description).toBe('Log4Shell.');
    expect(finding?.provenance.publisher).toBe('Example Vendor');
  });

  it('warns about product ids the tree does not define, by pointer', () => {
    const parsed = parseSubmission(JSON.stringify(advisory()));
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ pointer: '/vulnerabilities/0/product_status/fixed/0' }));
  });

  it('maps the TLP 1.0 label to TLP 2.0 and defaults to AMBER', () => {
    const doc = advisory();
    expect(
      parseSubmission(JSON.stringify({ ...doc, document: { ...doc.document, distribution: { tlp: { label: 'RED' } } } })).suggestedTlp,
    ).toBe('RED');
    expect(parseSubmission(JSON.stringify({ ...doc, document: { ...doc.document, distribution: undefined } })).suggestedTlp).toBe('AMBER');
  });

  it('refuses CSAF versions other than 2.0', () => {
    const doc = advisory();
    expect(() => parseSubmission(JSON.stringify({ ...doc, document: { ...doc.document, csaf_version: '2.1' } }))).toThrow(
      UnsupportedMediaTypeError,
    );
  });
});

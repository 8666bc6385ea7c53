import { describe, expect, it } from 'vitest';
import { caseSource, caseVulnerability } from '../test-support/sources.js';
import { csafDocument, csafFileName } from './csaf-document.js';
import { withPurlVersion } from './csaf-product-tree.js';
import { csafProblems } from './csaf-validation.js';

type J = Record<string, never>;
const at = (doc: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((o, k) => (o as J)?.[k], doc);

describe('CSAF 2.0 generation from a case', () => {
  it('writes a security advisory that passes the strict schema and every mandatory test', async () => {
    const doc = csafDocument(caseSource());
    expect(await csafProblems(doc)).toEqual([]);
    expect(at(doc, 'document', 'distribution', 'tlp', 'label')).toBe('WHITE');
    expect(at(doc, 'document', 'tracking')).toMatchObject({ id: 'CH-2026-0001', status: 'final', version: '1' });
  });

  it('states each vendor’s products as the statements say', () => {
    const doc = csafDocument(caseSource());
    const names = new Map<string, string>();
    const walk = (branches: unknown) => {
      for (const b of (branches as J[]) ?? []) {
        const product = (b as Record<string, { product_id: string; name: string }>)['product'];
        if (product) names.set(product.product_id, product.name);
        walk((b as Record<string, unknown>)['branches']);
      }
    };
    walk(at(doc, 'product_tree', 'branches'));
    const status = at(doc, 'vulnerabilities', 0, 'product_status') as Record<string, string[]>;
    const named = Object.fromEntries(Object.entries(status).map(([k, ids]) => [k, ids.map((id) => names.get(id))]));
    // 2.4.0 is affected with a vendor fix pointing to 2.4.1, which is fixed; Globex's gadget is not affected.
    expect(named).toEqual({
      fixed: ['ACME @acme/widget 2.4.1'],
      known_affected: ['ACME @acme/widget 2.4.0'],
      known_not_affected: ['Globex gadget 3.1'],
    });
    const fix = at(doc, 'vulnerabilities', 0, 'remediations', 0) as Record<string, unknown>;
    expect(fix).toMatchObject({ category: 'vendor_fix', details: 'Update to 2.4.1.', url: 'https://acme.example/download' });
    expect(at(doc, 'vulnerabilities', 0, 'flags', 0, 'label')).toBe('vulnerable_code_not_present');
    expect(at(doc, 'vulnerabilities', 0, 'threats', 0)).toMatchObject({ category: 'impact', details: 'Gadget does not extract archives.' });
    expect(at(doc, 'vulnerabilities', 0, 'cwe')).toEqual({
      id: 'CWE-22',
      name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    });
    // Scores recomputed from the vectors: 9.8 (3.1) and 7.5 (2.0), for the affected product only.
    const score = at(doc, 'vulnerabilities', 0, 'scores', 0) as Record<string, Record<string, unknown>>;
    expect(score['cvss_v3']).toMatchObject({ version: '3.1', baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(score['cvss_v2']).toMatchObject({ baseScore: 7.5 });
    expect(at(doc, 'vulnerabilities', 0, 'acknowledgments')).toEqual([{ names: ['Ada Researcher'], organization: 'Example Lab' }]);
    const fixedPurl = [...JSON.stringify(doc).matchAll(/pkg:npm\/%40acme\/widget@[0-9.]+/g)].map((m) => m[0]);
    expect(new Set(fixedPurl)).toEqual(new Set(['pkg:npm/%40acme/widget@2.4.0', 'pkg:npm/%40acme/widget@2.4.1']));
  });

  it('writes a VEX document and an embargoed AMBER draft, both valid', async () => {
    const vex = csafDocument(caseSource({ category: 'csaf_vex', trackingId: 'CH-2026-0001-VEX' }));
    expect(await csafProblems(vex)).toEqual([]);
    const draft = csafDocument(caseSource({ tlp: 'AMBER', status: 'draft', selfUrl: null }));
    expect(await csafProblems(draft)).toEqual([]);
    expect(at(draft, 'document', 'tracking')).toMatchObject({ status: 'draft', version: '0' });
    expect(at(draft, 'document', 'distribution', 'tlp', 'label')).toBe('AMBER');
    const strict = csafDocument(caseSource({ tlp: 'AMBER+STRICT', status: 'draft', selfUrl: null }));
    expect(at(strict, 'document', 'distribution', 'text')).toMatch(/AMBER\+STRICT/);
  });

  it('keeps the revision history of later publications valid', async () => {
    const revised = caseSource({
      revisions: [
        { number: '1', date: '2026-07-20T21:00:00.000Z', summary: 'Initial publication.' },
        { number: '2', date: '2026-07-22T09:00:00.000Z', summary: 'Globex stated its product not affected.' },
      ],
      generatedAt: '2026-07-22T09:00:00.000Z',
      vulnerabilities: [caseVulnerability({ exploited: true })],
    });
    const doc = csafDocument(revised);
    expect(await csafProblems(doc)).toEqual([]);
    expect(at(doc, 'document', 'tracking')).toMatchObject({
      version: '2',
      initial_release_date: '2026-07-20T21:00:00.000Z',
      current_release_date: '2026-07-22T09:00:00.000Z',
    });
  });

  it('is refused by the validator when a vulnerability has no statement (the check can fail)', async () => {
    const doc = csafDocument(caseSource({ category: 'csaf_vex', vulnerabilities: [caseVulnerability({ statements: [] })] }));
    const failed = new Set((await csafProblems(doc)).map((p) => p.test));
    expect(failed.has('mandatoryTest_6_1_27_7')).toBe(true);
  });

  it('names files as CSAF §5.1 says and replaces purl versions in canonical purls', () => {
    expect(csafFileName('CH-2026-0001')).toBe('ch-2026-0001.json');
    expect(csafFileName('Example Company: ESA/2026 #1')).toBe('example_company_esa_2026_1.json');
    expect(withPurlVersion('pkg:npm/%40acme/widget@2.4.0?repository_url=x#sub', '2.4.1+b1')).toBe(
      'pkg:npm/%40acme/widget@2.4.1+b1?repository_url=x#sub',
    );
    expect(withPurlVersion('pkg:pypi/acme', '1.0')).toBe('pkg:pypi/acme@1.0');
  });
});

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { parseSubmission } from '../../intake/index.js';
import { statementsFromCsafFindings, statementsFromCycloneDx } from './vex-statements.js';

const json = (...parts: string[]) => JSON.parse(readFileSync(sharedData(...parts), 'utf8')) as Record<string, unknown>;
const brief = (r: ReturnType<typeof statementsFromCycloneDx>) =>
  r.statements.map((s) => ({
    ids: s.vulnerabilityIds,
    status: s.content.status,
    product: [s.content.product.name, s.content.product.version].filter(Boolean).join(' '),
    justification: s.content.justification,
  }));

describeWithData('CycloneDX VEX documents (CISA use cases) into statements', 'sbom/cyclonedx/VEX', () => {
  it('reads each of the four states of CISA’s use case 1', () => {
    const states = ['affected', 'fixed', 'not_affected', 'under_investigation'].map((s) =>
      brief(statementsFromCycloneDx(json('sbom/cyclonedx/VEX/CISA-Use-Cases/Case-1', `vex-${s}.json`))),
    );
    expect(states).toEqual([
      [{ ids: ['CVE-2021-44228'], status: 'affected', product: 'DEF 1.0', justification: null }],
      [{ ids: ['CVE-2021-44228'], status: 'fixed', product: 'DEF 1.1', justification: null }],
      [{ ids: ['CVE-2021-44228'], status: 'not_affected', product: 'ABC 4.2', justification: 'vulnerable_code_not_present' }],
      [{ ids: ['CVE-2021-44228'], status: 'under_investigation', product: 'GHI 17.4', justification: null }],
    ]);
  });

  it('states listed versions one by one and keeps a version range in the product name', () => {
    const r = statementsFromCycloneDx(json('sbom/cyclonedx/VEX/CISA-Use-Cases/Case-6/vex.json'));
    expect(brief(r).map((s) => `${s.status} ${s.product}`)).toEqual([
      'affected ABC 2.4',
      'affected ABC 2.6',
      'affected ABC vers:generic/>=2.9|<=4.1',
      'not_affected ABC vers:generic/>=1.0|<=2.3',
      'not_affected ABC 2.5',
      'not_affected ABC vers:generic/>=2.7|<=2.8',
      'not_affected ABC 4.2',
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('maps CycloneDX justifications to the CSAF list and skips what states no product', () => {
    const r = statementsFromCycloneDx(json('sbom/cyclonedx/VEX/Use-Cases/Case-12/vex.json'));
    expect(brief(r).map((s) => s.justification)).toEqual(['vulnerable_code_not_in_execute_path', null, 'inline_mitigations_already_exist']);
    const none = statementsFromCycloneDx(json('sbom/cyclonedx/VEX/Use-Cases/Case-7/vex.json'));
    expect(none.statements).toEqual([]);
    expect(none.skipped).toEqual([{ pointer: '/vulnerabilities/0/affects', detail: 'names no product' }]);
  });
});

describeWithData('CSAF VEX documents into statements', 'csaf/csaf_2.0/examples/csaf/csaf_vex', () => {
  it('reads a not-affected statement given with an impact statement alone', () => {
    const parsed = parseSubmission(readFileSync(sharedData('csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-na-001.json')));
    const r = statementsFromCsafFindings(parsed.findings);
    expect(r.statements).toHaveLength(1);
    expect(r.statements[0]?.vulnerabilityIds).toEqual(['CVE-2021-44228']);
    expect(r.statements[0]?.content).toMatchObject({
      status: 'not_affected',
      justification: null,
      impactStatement: 'Class with vulnerable code was removed before shipping.',
      product: { vendor: 'Example Company', name: 'ABC', version: '4.2' },
    });
  });

  it('reads fixed and affected statements with their remediation', () => {
    const parsed = parseSubmission(readFileSync(sharedData('csaf/csaf_2.0/examples/csaf/csaf_vex/2022-evd-uc-01-f-001.json')));
    const r = statementsFromCsafFindings(parsed.findings);
    expect(r.statements.map((s) => [s.content.status, s.content.product.name, s.content.fixedVersions])).toEqual([
      ['fixed', 'DEF', ['1.1']],
    ]);
  });
});

it('refuses a not-affected statement with neither a justification nor an impact statement', () => {
  const r = statementsFromCycloneDx({
    vulnerabilities: [{ id: 'CVE-2026-1000', analysis: { state: 'not_affected' }, affects: [{ ref: 'x' }] }],
    metadata: { component: { 'bom-ref': 'x', name: 'X', version: '1' } },
  });
  expect(r.statements).toEqual([]);
  expect(r.skipped).toEqual([
    { pointer: '/vulnerabilities/0/affects/0', detail: 'not_affected without a justification or an impact statement' },
  ]);
});

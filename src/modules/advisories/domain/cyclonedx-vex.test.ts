import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { validateCycloneDxJson } from '../../inventory/index.js';
import { cycloneDxVexOfCsaf, serialNumberOf } from './cyclonedx-vex.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * CSAF product status → CycloneDX analysis state, as the CycloneDX VEX guide and CISA's "VEX Status
 * Justifications" map them (written here from those documents, not read from the code under test).
 */
const EXPECTED_STATE: Record<string, string> = {
  known_affected: 'exploitable',
  first_affected: 'exploitable',
  last_affected: 'exploitable',
  known_not_affected: 'not_affected',
  fixed: 'resolved',
  first_fixed: 'resolved',
  under_investigation: 'in_triage',
};

describeWithData('CycloneDX VEX from the OASIS CSAF 2.0 VEX examples', 'csaf/csaf_2.0/examples/csaf/csaf_vex', () => {
  const dir = sharedData('csaf/csaf_2.0/examples/csaf/csaf_vex');
  const examples = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(10));

  for (const file of examples) {
    it(`${file}: valid CycloneDX 1.6, each product status as its analysis, each not-affected with a justification`, () => {
      const csaf = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json;
      const bom = cycloneDxVexOfCsaf(csaf, serialNumberOf('ab'.repeat(32))) as Json;
      expect(validateCycloneDxJson(bom, '1.6')).toEqual([]);
      const said = new Set<string>();
      for (const v of bom['vulnerabilities'] as Json[])
        for (const a of v['affects'] as Json[]) said.add(`${v['id']} ${a['ref']} ${v['analysis']['state']}`);
      const expected = new Set<string>();
      for (const v of csaf['vulnerabilities'] as Json[]) {
        const id = v['cve'] ?? v['ids']?.[0]?.['text'];
        for (const [status, ids] of Object.entries((v['product_status'] ?? {}) as Record<string, string[]>))
          if (EXPECTED_STATE[status] !== undefined) for (const p of ids) expected.add(`${id} ${p} ${EXPECTED_STATE[status]}`);
      }
      expect([...said].sort()).toEqual([...expected].sort());
      const components = new Set((bom['components'] as Json[]).map((c) => c['bom-ref']));
      for (const v of bom['vulnerabilities'] as Json[]) {
        for (const a of v['affects'] as Json[]) expect(components.has(a['ref'])).toBe(true);
        // Every CSAF VEX known_not_affected needs a justification flag or an impact statement (CSAF §6.1.27.9).
        if (v['analysis']['state'] === 'not_affected')
          expect(v['analysis']['justification'] !== undefined || v['analysis']['detail'] !== undefined).toBe(true);
      }
    });
  }
});

it('derives a name-based UUID serial number from a SHA-256', () => {
  expect(serialNumberOf('0123456789abcdef'.repeat(4))).toBe('urn:uuid:01234567-89ab-5def-8123-456789abcdef');
});

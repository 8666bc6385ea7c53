import { describe, expect, it } from 'vitest';
import { AdvisoryIndex } from './match-index.js';
import { compileAdvisory, evaluateAdvisory, type ComponentRef } from './osv-evaluate.js';
import type { OsvAffected, OsvRecord } from './osv-record.js';

const record = (id: string, affected: OsvAffected[]): OsvRecord => ({ id, affected });
const pkg = { ecosystem: 'PyPI', name: 'django' };
const RECORDS: OsvRecord[] = [
  record('FIXED-2', [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }]),
  record('LAST-3', [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.5' }, { last_affected: '3.0' }] }] }]),
  record('OPEN-4', [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.0' }] }] }]),
  record('LISTED', [{ package: pkg, versions: ['1.0', '5.0'] }]),
  record('ODD-LISTED', [{ package: pkg, versions: ['not a version'] }]),
  record('BAD-BOUND', [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2019-09-x' }] }] }]),
  record('UNKNOWN-TYPE', [{ package: pkg, ranges: [{ type: 'NEWFANGLED', events: [{ introduced: '0' }] }] }]),
  record('LIMITED', [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '6.0' }] }] }]),
];

describe('narrowing candidates by each advisory’s upper bound', () => {
  const index = new AdvisoryIndex();
  for (const r of RECORDS) index.upsert(r);
  const compiled = RECORDS.map((r) => compileAdvisory(r));

  it('gives exactly the verdicts of evaluating every advisory, for versions around every bound', () => {
    const versions = [
      '0.1',
      '1.0',
      '1.0.0',
      '1.9',
      '2.0',
      '2.5',
      '3.0',
      '3.0.1',
      '3.9',
      '4.0',
      '5.0',
      '5.0.post1',
      '6.0',
      '99',
      'not a version',
      '2019-09-x',
      null,
    ];
    for (const version of versions) {
      const component: ComponentRef = { ecosystem: 'PyPI', name: 'Django', version };
      const all = compiled
        .map((a) => evaluateAdvisory(a, component))
        .filter((v) => v.status !== 'not-affected')
        .sort((a, b) => (a.advisoryId < b.advisoryId ? -1 : 1));
      expect([version, index.match(component)]).toEqual([version, all]);
    }
  });

  it('evaluates only advisories whose reach can include the version', () => {
    // Above every bound: the open range, the undecidable ones (and LIMITED, open but below its limit, which
    // evaluation then rules out) are all that is left.
    const above = index.match({ ecosystem: 'PyPI', name: 'django', version: '7.0' }).map((v) => v.advisoryId);
    expect(above).toEqual(['BAD-BOUND', 'OPEN-4', 'UNKNOWN-TYPE']);
    expect(index.candidatesFor({ ecosystem: 'PyPI', name: 'django', version: '7.0' })).toHaveLength(RECORDS.length);
  });
});

import { describe, expect, it } from 'vitest';
import { severityOfReport } from './severity-signal.js';

const scorer = (vector: string): number => {
  if (vector === 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') return 9.8;
  if (vector === 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N') return 3.3;
  throw new Error(`bad vector ${vector}`);
};
const critical = { kind: 'cvss' as const, version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };

describe('the severity signal of a report', () => {
  it('takes a KEV listing first, then the highest recomputed CVSS base score', () => {
    expect(severityOfReport([critical], true, scorer)).toMatchObject({ value: 1, cvssBase: 9.8, kev: true });
    const low = { kind: 'cvss' as const, version: '3.1', vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N' };
    expect(severityOfReport([low, critical, { kind: 'qualitative', text: 'low' }], false, scorer)).toEqual({
      value: 0.98,
      source: `CVSS 3.1 base 9.8 (${critical.vector})`,
      cvssBase: 9.8,
      cvssVector: critical.vector,
      kev: false,
    });
  });

  it('skips malformed vectors and falls back to SARIF scores, words and levels', () => {
    expect(
      severityOfReport(
        [
          { kind: 'cvss', version: '3.1', vector: 'CVSS:3.1/AV:X' },
          { kind: 'security-severity', score: 7.5 },
        ],
        false,
        scorer,
      ),
    ).toMatchObject({ value: 0.75, cvssBase: null });
    expect(
      severityOfReport(
        [
          { kind: 'qualitative', text: 'High' },
          { kind: 'sarif-level', level: 'error' },
        ],
        false,
        scorer,
      ),
    ).toMatchObject({ value: 0.8, source: 'stated severity "High"' });
    expect(severityOfReport([{ kind: 'sarif-level', level: 'warning' }], false, scorer)).toMatchObject({
      value: 0.4,
      source: 'SARIF level warning',
    });
    expect(severityOfReport([], false, scorer)).toMatchObject({ value: null, source: 'no severity stated' });
  });
});

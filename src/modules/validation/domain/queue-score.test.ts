import { describe, expect, it } from 'vitest';
import { corroboration, placeInQueue } from './queue-score.js';

const base = { severitySource: 'CVSS 3.1 base 9.8', unknownSeverity: 0.5, firstSeenAt: '2026-06-02T12:00:00.000Z' };

describe('the triage queue score', () => {
  it('is severity × corroboration, with corroboration = 1 − Π(1 − pᵢ)', () => {
    expect(corroboration([0.5])).toBe(0.5);
    expect(corroboration([0.5, 0.5])).toBe(0.75);
    expect(corroboration([0.9, 0.2])).toBe(0.92); // 1 − 0.1 × 0.8
    expect(corroboration([])).toBe(0);
    const placed = placeInQueue({
      ...base,
      severity: 0.98,
      reporters: [
        { orgId: 'org_a', precision: 0.5 },
        { orgId: 'org_b', precision: 0.5 },
      ],
    });
    expect(placed.score).toBe(0.735);
    expect(placed.why).toEqual({
      severity: { value: 0.98, source: 'CVSS 3.1 base 9.8' },
      corroboration: {
        value: 0.75,
        reporters: [
          { orgId: 'org_a', precision: 0.5 },
          { orgId: 'org_b', precision: 0.5 },
        ],
      },
      formula: '0.98 severity × 0.75 corroboration = 0.735',
    });
  });

  it('uses the policy default when no report states a severity, and says so', () => {
    const placed = placeInQueue({
      ...base,
      severity: null,
      severitySource: 'no severity stated',
      reporters: [{ orgId: 'org_a', precision: 0.2 }],
    });
    expect(placed.score).toBe(0.1);
    expect(placed.why.severity.source).toBe('no severity stated; policy default 0.5');
  });

  it('sorts by score, then oldest first among equal scores', () => {
    const rows = [
      placeInQueue({ ...base, severity: 0.5, reporters: [{ orgId: 'a', precision: 0.5 }], firstSeenAt: '2026-06-03T00:00:00.000Z' }),
      placeInQueue({ ...base, severity: 0.9, reporters: [{ orgId: 'a', precision: 0.1 }], firstSeenAt: '2026-06-01T00:00:00.000Z' }),
      placeInQueue({ ...base, severity: 0.5, reporters: [{ orgId: 'a', precision: 0.5 }], firstSeenAt: '2026-06-02T00:00:00.000Z' }),
      placeInQueue({ ...base, severity: 1, reporters: [{ orgId: 'a', precision: 0.9 }], firstSeenAt: '2026-06-04T00:00:00.000Z' }),
    ];
    const order = [...rows].sort((x, y) => (x.key < y.key ? -1 : 1)).map((r) => [r.score, r.key.split('|')[1]]);
    expect(order).toEqual([
      [0.9, '2026-06-04T00:00:00.000Z'],
      [0.25, '2026-06-02T00:00:00.000Z'],
      [0.25, '2026-06-03T00:00:00.000Z'],
      [0.09, '2026-06-01T00:00:00.000Z'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { comparePriority, type Rankable } from './priority-order.js';
import { DEFAULT_PRIORITIZATION_POLICY as POLICY } from './prioritization-policy.js';
import { deployerDeadline, vendorFixDeadline } from './sla.js';

const item = (name: string, outcome: Rankable['outcome'], epss: number | null, exposureCount: number) => ({
  name,
  outcome,
  tieBreak: { epss, exposureCount },
});

describe('comparePriority', () => {
  it('orders by level, then EPSS (unscored last), then exposure count', () => {
    const items = [
      item('track-hot', 'track', 0.9, 50),
      item('attend-unscored', 'attend', null, 99),
      item('attend-low-few', 'attend', 0.01, 1),
      item('act', 'act', 0.001, 0),
      item('attend-low-many', 'attend', 0.01, 7),
      item('track*', 'track*', 0, 0),
      item('attend-high', 'attend', 0.5, 0),
    ];
    expect([...items].sort(comparePriority).map((i) => i.name)).toEqual([
      'act',
      'attend-high',
      'attend-low-many',
      'attend-low-few',
      'attend-unscored',
      'track*',
      'track-hot',
    ]);
  });

  it('is 0 for decisions equal on every key', () => {
    expect(comparePriority(item('a', 'act', 0.2, 3), item('b', 'act', 0.2, 3))).toBe(0);
  });
});

describe('deadlines', () => {
  const at = new Date('2026-06-02T12:00:00.000Z');

  it("count whole days from the decision, per the policy's tables", () => {
    expect(vendorFixDeadline('act', POLICY, at)).toEqual({ days: 2, dueAt: '2026-06-04T12:00:00.000Z' });
    expect(vendorFixDeadline('attend', POLICY, at)).toEqual({ days: 14, dueAt: '2026-06-16T12:00:00.000Z' });
    expect(vendorFixDeadline('track*', POLICY, at)).toEqual({ days: 30, dueAt: '2026-07-02T12:00:00.000Z' });
    expect(deployerDeadline('scheduled', POLICY, at)).toEqual({ days: 30, dueAt: '2026-07-02T12:00:00.000Z' });
    expect(deployerDeadline('defer', POLICY, at)).toEqual({ days: null, dueAt: null });
  });
});

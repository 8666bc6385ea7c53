import { describe, expect, it } from 'vitest';
import { anchorDeadline } from './deadline-anchor.js';
import { DEFAULT_PRIORITIZATION_POLICY as POLICY } from './prioritization-policy.js';
import { decidePriority } from './priority-decision.js';
import { NOTHING_KNOWN } from './test-support/priority-fixtures.js';

describe('anchorDeadline', () => {
  const later = new Date('2026-06-20T00:00:00.000Z');
  const decision = decidePriority(NOTHING_KNOWN, later, POLICY);

  it('keeps the deadline of an unchanged outcome running from when it was first reached', () => {
    const anchored = anchorDeadline({ outcome: decision.outcome, since: '2026-06-02T12:00:00.000Z' }, decision, POLICY);
    const days = POLICY.vendorFixDays[decision.outcome];
    expect(anchored.vendorFixDueAt).toBe(new Date(Date.parse('2026-06-02T12:00:00.000Z') + days * 86_400_000).toISOString());
    expect(anchored.explanation.decidedAt).toBe('2026-06-02T12:00:00.000Z');
    expect(anchored.explanation.vendorFix.dueAt).toBe(anchored.vendorFixDueAt);
  });

  it('starts a new deadline when the outcome changes, or when there was none', () => {
    expect(
      anchorDeadline({ outcome: decision.outcome === 'act' ? 'track' : 'act', since: '2026-06-02T12:00:00.000Z' }, decision, POLICY),
    ).toBe(decision);
    expect(anchorDeadline(null, decision, POLICY)).toBe(decision);
  });
});

import { describe, expect, it } from 'vitest';
import { REPORT_STATES, allowedNextStates, illegalTransitionMessage, isLegalTransition, verdictAfter } from './report-states.js';

const LEGAL = new Set([
  'received>valid',
  'received>invalid',
  'received>closed',
  'valid>accepted',
  'valid>deferred',
  'valid>closed',
  'invalid>closed',
  'accepted>closed',
  'deferred>closed',
]);

describe('the report-management state machine', () => {
  it('allows exactly the Vultron moves: received → valid | invalid, valid → accepted | deferred, any → closed', () => {
    for (const from of REPORT_STATES) {
      for (const to of REPORT_STATES) {
        expect(isLegalTransition(from, to), `${from} → ${to}`).toBe(LEGAL.has(`${from}>${to}`));
      }
    }
    expect(REPORT_STATES.flatMap((from) => allowedNextStates(from).map((to) => `${from}>${to}`)).sort()).toEqual([...LEGAL].sort());
  });

  it('names the current state and the allowed next ones when refusing', () => {
    expect(illegalTransitionMessage('clu_1', 'invalid', 'valid')).toBe(
      'cluster clu_1 is invalid and cannot become valid: it may move to closed',
    );
    expect(illegalTransitionMessage('clu_1', 'received', 'accepted')).toBe(
      'cluster clu_1 is received and cannot become accepted: it may move to valid, invalid, closed',
    );
    expect(illegalTransitionMessage('clu_1', 'closed', 'closed')).toBe(
      'cluster clu_1 is closed and cannot become closed: no further transition is allowed',
    );
  });

  it('keeps the verdict through later states', () => {
    expect(verdictAfter('valid', null)).toBe('valid');
    expect(verdictAfter('invalid', null)).toBe('invalid');
    expect(verdictAfter('accepted', 'valid')).toBe('valid');
    expect(verdictAfter('closed', 'invalid')).toBe('invalid');
    expect(verdictAfter('closed', null)).toBeNull();
  });
});

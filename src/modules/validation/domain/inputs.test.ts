import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { attemptConfirms, parseAttempt, parseEvidenceMeta, parseQuotaOverride, parseVerdict } from './inputs.js';
import { DEFAULT_VALIDATION_POLICY, applyPolicyUpdate } from './policy.js';

function pointers(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => i.pointer);
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('validation inputs', () => {
  it('needs a reason from the list and a note for invalid, and nothing of the kind otherwise', () => {
    expect(parseVerdict({ state: 'invalid', reason: 'false_positive', note: 'parameterized' })).toEqual({
      state: 'invalid',
      reason: 'false_positive',
      note: 'parameterized',
      duplicateOf: null,
    });
    expect(pointers(() => parseVerdict({ state: 'invalid' }))).toEqual(['/reason', '/note']);
    expect(pointers(() => parseVerdict({ state: 'invalid', reason: 'boring', note: 'x' }))).toEqual(['/reason']);
    expect(pointers(() => parseVerdict({ state: 'invalid', reason: 'duplicate', note: 'x' }))).toEqual(['/duplicateOf']);
    expect(pointers(() => parseVerdict({ state: 'accepted', reason: 'false_positive' }))).toEqual(['/reason']);
    expect(pointers(() => parseVerdict({ state: 'received' }))).toEqual(['/state']);
  });

  it('ties the fixed-build result to a fixed build, and confirms only without reproduction there', () => {
    const attempt = parseAttempt({
      artifact: 'a',
      affectedBuild: '1',
      environment: 'e',
      reproducedOnAffected: true,
      fixedBuild: '2',
      reproducedOnFixed: false,
    });
    expect(attemptConfirms(attempt)).toBe(true);
    expect(attemptConfirms({ reproducedOnAffected: true, reproducedOnFixed: true })).toBe(false);
    expect(attemptConfirms({ reproducedOnAffected: true, reproducedOnFixed: null })).toBe(true);
    expect(attemptConfirms({ reproducedOnAffected: false, reproducedOnFixed: null })).toBe(false);
    expect(
      pointers(() => parseAttempt({ artifact: 'a', affectedBuild: '1', environment: 'e', reproducedOnAffected: true, fixedBuild: '2' })),
    ).toEqual(['/reproducedOnFixed']);
    expect(pointers(() => parseAttempt({ reproducedOnFixed: true, assessment: { automatable: 'maybe' } }))).toEqual([
      '/reproducedOnFixed',
      '/artifact',
      '/affectedBuild',
      '/environment',
      '/reproducedOnAffected',
      '/assessment/automatable',
    ]);
  });

  it('labels evidence TLP:RED unless told otherwise', () => {
    expect(parseEvidenceMeta({ filename: 'poc.py' })).toEqual({
      kind: 'proof_of_concept',
      filename: 'poc.py',
      mediaType: null,
      tlp: 'RED',
      attemptId: null,
    });
    expect(pointers(() => parseEvidenceMeta({ filename: '', tlp: 'PURPLE' }))).toEqual(['/tlp', '/filename']);
  });

  it('takes a quota override as a whole number or null, always with a note', () => {
    expect(parseQuotaOverride({ dailyLimit: null, note: 'pilot' })).toEqual({ dailyLimit: null, note: 'pilot' });
    expect(pointers(() => parseQuotaOverride({ note: 'x' }))).toEqual(['/dailyLimit']);
    expect(pointers(() => parseQuotaOverride({ dailyLimit: 2.5 }))).toEqual(['/dailyLimit', '/note']);
  });

  it('updates the policy field by field, refusing unknown and out-of-range fields', () => {
    const policy = applyPolicyUpdate(DEFAULT_VALIDATION_POLICY, { quorum: { critical: 3 }, quota: { minDaily: 2 } });
    expect(policy.quorum).toEqual({ default: 1, critical: 3, criticalCvss: 9 });
    expect(policy.quota.minDaily).toBe(2);
    expect(policy.prior).toEqual(DEFAULT_VALIDATION_POLICY.prior);
    expect(
      pointers(() =>
        applyPolicyUpdate(DEFAULT_VALIDATION_POLICY, { quorum: { default: 0, extra: 1 }, validatorKinds: ['wizard'], leaseHours: 100 }),
      ),
    ).toEqual(['/quorum/extra', '/quorum/default', '/leaseHours', '/validatorKinds']);
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { DEFAULT_POLICY, parsePolicyDocument } from './policy.js';

const SECTORS = Object.keys(DEFAULT_POLICY.partnerCriteria.sectorCriticality);

describe('the policy document', () => {
  it('accepts the default, and a 90-day maximum as the earlier draft had', () => {
    expect(parsePolicyDocument(DEFAULT_POLICY, SECTORS)).toEqual({ ...DEFAULT_POLICY, reminderLeadHours: [72, 24] });
    expect(parsePolicyDocument({ ...DEFAULT_POLICY, windowMaxDays: 90, reminderLeadHours: [24, 168, 24] }, SECTORS)).toMatchObject({
      windowMaxDays: 90,
      reminderLeadHours: [168, 24],
    });
  });

  it('names every bad field', () => {
    const bad = {
      ...DEFAULT_POLICY,
      windowMaxDays: 0,
      reminderLeadHours: ['soon'],
      partnerCriteria: { ...DEFAULT_POLICY.partnerCriteria, factors: [{ key: 'charisma', weight: 2 }], sectorCriticality: { moon: 1 } },
      referenceThresholds: [{ benchmark: '', metric: 'accuracy', value: 'high' }],
    };
    try {
      parsePolicyDocument(bad, SECTORS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.pointer)).toEqual([
        '/windowMaxDays',
        '/reminderLeadHours/0',
        '/partnerCriteria/factors/0/key',
        '/partnerCriteria/factors/0/weight',
        '/partnerCriteria/factors',
        '/partnerCriteria/sectorCriticality/moon',
        '/referenceThresholds/0/benchmark',
        '/referenceThresholds/0/value',
      ]);
    }
  });
});

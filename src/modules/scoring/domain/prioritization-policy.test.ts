import { describe, expect, it } from 'vitest';
import { SECTOR_KEYS } from '../../identity/index.js';
import { DEFAULT_PRIORITIZATION_POLICY, type PrioritizationPolicy } from './prioritization-policy.js';
import { parsePrioritizationPolicy } from './prioritization-policy-schema.js';
import { issuesOf } from '#test-support/rejection.js';

/** The default policy as JSON with the field at `path` set to `value` (deleted for undefined): what an admin would submit. */
function edited(path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(DEFAULT_PRIORITIZATION_POLICY) as unknown as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, copy);
  const last = path[path.length - 1] ?? '';
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const issuesOfPolicy = (input: unknown, sectors?: readonly string[]) =>
  issuesOf(() => parsePrioritizationPolicy(input, sectors === undefined ? {} : { sectors }));

describe('the default prioritization policy', () => {
  it('has the vendor-fix deadlines issue 5 sets', () => {
    expect(DEFAULT_PRIORITIZATION_POLICY.vendorFixDays).toEqual({ act: 2, attend: 14, 'track*': 30, track: 90 });
  });

  it('maps every critical-infrastructure sector', () => {
    expect(Object.keys(DEFAULT_PRIORITIZATION_POLICY.missionWellbeing.sectorWellbeing).sort()).toEqual([...SECTOR_KEYS].sort());
  });

  it('is frozen, all the way down', () => {
    const policy = DEFAULT_PRIORITIZATION_POLICY as unknown as { vendorFixDays: Record<string, number> };
    expect(() => {
      policy.vendorFixDays['act'] = 5;
    }).toThrow(TypeError);
  });

  it('passes its own schema and the known-sector check', () => {
    expect(parsePrioritizationPolicy(structuredClone(DEFAULT_PRIORITIZATION_POLICY), { sectors: SECTOR_KEYS })).toEqual(
      DEFAULT_PRIORITIZATION_POLICY,
    );
  });
});

describe('parsePrioritizationPolicy', () => {
  it('returns a frozen copy of a valid policy', () => {
    const input = edited(['vendorFixDays', 'act'], 1);
    const policy: PrioritizationPolicy = parsePrioritizationPolicy(input);
    expect([policy.version, policy.vendorFixDays.act]).toEqual(['default-1', 1]);
    expect(Object.isFrozen(policy.vendorFixDays)).toBe(true);
    expect(policy).not.toBe(input);
  });

  it('names a missing, unknown or ill-typed field', () => {
    expect(issuesOfPolicy(edited(['vendorFixDays', 'act'], undefined))).toEqual([{ pointer: '/vendorFixDays/act', detail: 'is required' }]);
    expect(issuesOfPolicy(edited(['vendorFixDays', 'urgent'], 1))).toEqual([
      { pointer: '/vendorFixDays/urgent', detail: 'is not allowed here' },
    ]);
    expect(issuesOfPolicy(edited(['vendorFixDays', 'track'], 1.5))).toEqual([
      { pointer: '/vendorFixDays/track', detail: 'must be integer' },
    ]);
    expect(issuesOfPolicy(edited(['missionWellbeing', 'unknownExposure'], 'severe'))).toEqual([
      { pointer: '/missionWellbeing/unknownExposure', detail: 'must be equal to one of the allowed values: low, medium, high' },
    ]);
    expect(issuesOfPolicy(edited(['version'], ''))[0]?.pointer).toBe('/version');
  });

  it('refuses deadlines that grow shorter as urgency falls', () => {
    expect(issuesOfPolicy(edited(['vendorFixDays', 'act'], 20))).toEqual([
      { pointer: '/vendorFixDays/act', detail: 'must not be later than attend (14)' },
    ]);
    expect(issuesOfPolicy(edited(['deployerDays', 'immediate'], null))).toEqual([
      { pointer: '/deployerDays/immediate', detail: 'must not be later than out_of_cycle (7)' },
    ]);
  });

  it('refuses sector keys that do not exist, when told which do', () => {
    const input = edited(['missionWellbeing', 'sectorWellbeing', 'space'], 'irreversible');
    expect(parsePrioritizationPolicy(input).missionWellbeing.sectorWellbeing).toHaveProperty('space');
    expect(issuesOfPolicy(input, SECTOR_KEYS)).toEqual([
      { pointer: '/missionWellbeing/sectorWellbeing/space', detail: 'is not a known sector' },
    ]);
  });
});

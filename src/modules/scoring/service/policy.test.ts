import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { DEFAULT_PRIORITIZATION_POLICY } from '../domain/prioritization-policy.js';
import { getPrioritizationPolicy, listPrioritizationPolicies, updatePrioritizationPolicy } from './policy.js';
import { auditActions, eventsOfType } from '../test-support/records.js';

const faster = { ...DEFAULT_PRIORITIZATION_POLICY, version: undefined, vendorFixDays: { act: 1, attend: 7, 'track*': 30, track: 90 } };

describeEachDatabase('prioritization policy', (dialect) => {
  const get = useTestRuntime(dialect);

  it('starts with the default, readable by anyone signed in', async () => {
    const { as, org } = get();
    const current = await getPrioritizationPolicy(as(await org('vendor', { role: 'viewer' })));
    expect(current).toMatchObject({ revision: 1, version: 'default-1', policy: DEFAULT_PRIORITIZATION_POLICY });
  });

  it('is changed by coordinator admins as a new, audited revision; history stays', async () => {
    const { as, coordinatorAdmin, runtime } = get();
    const updated = await updatePrioritizationPolicy(as(coordinatorAdmin), { policy: faster, note: 'tighter Act deadline' });
    expect(updated).toMatchObject({ revision: 2, version: 'r2', note: 'tighter Act deadline', policy: { vendorFixDays: { act: 1 } } });
    expect((await getPrioritizationPolicy(as(coordinatorAdmin))).revision).toBe(2);
    expect((await listPrioritizationPolicies(as(coordinatorAdmin), {})).items.map((p) => p.version)).toEqual(['r2', 'default-1']);
    const [audit] = await auditActions(runtime.db, 'scoring.policy');
    expect(audit?.action).toBe('scoring.policy.update');
    expect(JSON.parse(audit?.diff ?? '{}')).toMatchObject({
      version: 'r2',
      changed: { vendorFixDays: [DEFAULT_PRIORITIZATION_POLICY.vendorFixDays, faster.vendorFixDays] },
    });
    expect(await eventsOfType(runtime.db, 'scoring.policy.updated')).toHaveLength(1);
    await expect(updatePrioritizationPolicy(as(coordinatorAdmin), { policy: { ...faster, version: 'r2' } })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('refuses other parties and invalid policies, naming the field', async () => {
    const { as, org, coordinatorAdmin, user } = get();
    await expect(updatePrioritizationPolicy(as(await org('operator')), { policy: faster })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(updatePrioritizationPolicy(as(await user(coordinatorAdmin.orgId, 'analyst')), { policy: faster })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    const late = { ...faster, vendorFixDays: { act: 100, attend: 7, 'track*': 30, track: 90 } };
    await expect(updatePrioritizationPolicy(as(coordinatorAdmin), { policy: late })).rejects.toMatchObject({
      issues: [{ pointer: '/policy/vendorFixDays/act' }],
    });
    const sector = { ...faster, missionWellbeing: { ...faster.missionWellbeing, sectorWellbeing: { space: 'material' } } };
    await expect(updatePrioritizationPolicy(as(coordinatorAdmin), { policy: sector })).rejects.toMatchObject({
      issues: [{ pointer: '/policy/missionWellbeing/sectorWellbeing/space' }],
    });
    await expect(updatePrioritizationPolicy(as(coordinatorAdmin), { policy: 'none' })).rejects.toBeInstanceOf(InputError);
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { registerModel } from '../../frontier/index.js';
import { distinctFinding, errorOf, notReproduced, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';
import { getValidationView } from './validation-view.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // base 9.8

describeEachDatabase('the independence rule and the quorum', (dialect) => {
  const get = useTestRuntime(dialect);

  it('refuses a validator from the reporting organisation, even one that reported only a duplicate', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const finding = distinctFinding();
    const [id] = await report(t, lab, [finding], { shareWith: [agency.orgId] });
    const own = await errorOf(recordAttempt(t.as(lab), id!, reproduced()));
    expect(own).toMatchObject({
      code: 'not-independent',
      message: `your organisation is not independent of cluster ${id}: your organisation reported this vulnerability; another organisation must validate it`,
    });
    // The agency reports the same vulnerability later: it is a reporter now, and may not validate either.
    expect(await report(t, agency, [finding])).toEqual([id]);
    expect((await errorOf(recordAttempt(t.as(agency), id!, reproduced()))).code).toBe('not-independent');
    expect((await getValidationView(t.as(t.coordinatorAdmin), id!)).attempts).toEqual([]);
  });

  it('refuses the developer of the model that found the vulnerability, whoever reported it', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const otherLab = await t.org('model_developer');
    const agency = await t.org('agency');
    await registerModel(t.as(lab), { name: 'Atlas', version: '3.0', plannedRelease: '2026-09-01' });
    const provenance = { tool: { name: 'evalharness', version: '1' }, model: { name: 'Atlas', version: '3.0' }, aiGenerated: true };
    const [id] = await report(t, agency, [distinctFinding()], { shareWith: [lab.orgId, otherLab.orgId], provenance });
    const error = await errorOf(recordAttempt(t.as(lab), id!, reproduced()));
    expect(error.code).toBe('not-independent');
    expect(error.message).toContain('your organisation developed the model that found it (Atlas 3.0)');
    const outcome = await recordAttempt(t.as(otherLab), id!, reproduced());
    expect(outcome).toMatchObject({ state: 'valid', quorum: { needed: 1, confirmations: 1 } });
  });

  it('needs two independent organisations from CVSS 9.0; one organisation counts once', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const first = await t.org('agency');
    const second = await t.org('researcher');
    const [id] = await report(t, lab, [distinctFinding({ cvssVector: CRITICAL })], { shareWith: [first.orgId, second.orgId] });
    const once = await recordAttempt(t.as(first), id!, reproduced());
    expect(once).toMatchObject({ state: 'received', quorum: { needed: 2, because: 'CVSS base 9.8 ≥ 9.0', confirmations: 1 } });
    const colleague = await t.user(first.orgId, 'analyst');
    expect((await recordAttempt(t.as(colleague), id!, reproduced())).quorum.confirmations).toBe(1);
    // Reproducing on the fixed build as well, or not at all, confirms nothing.
    await expect(recordAttempt(t.as(second), id!, reproduced({ reproducedOnFixed: true }))).resolves.toMatchObject({
      state: 'received',
      attempt: { confirms: false },
    });
    await expect(recordAttempt(t.as(second), id!, notReproduced())).resolves.toMatchObject({
      state: 'received',
      quorum: { confirmations: 1 },
    });
    const twice = await recordAttempt(t.as(second), id!, reproduced());
    expect(twice).toMatchObject({ state: 'valid', quorum: { needed: 2, confirmations: 2 } });
    const [validated] = (await eventsAbout(t.runtime.db.kysely, id!)).filter((e) => e.type === 'validation.cluster.validated.v2');
    expect(validated?.payload).toMatchObject({
      basis: 'quorum',
      confirmations: [first.orgId, second.orgId].sort(),
      quorum: { needed: 2, cvssBase: 9.8 },
      reporterOrgIds: [lab.orgId],
    });
  });

  it('stops counting a confirmation once its organisation reports the vulnerability itself', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const first = await t.org('agency');
    const second = await t.org('agency');
    const finding = distinctFinding({ cvssVector: CRITICAL });
    const [id] = await report(t, lab, [finding], { shareWith: [first.orgId, second.orgId] });
    await recordAttempt(t.as(first), id!, reproduced());
    await report(t, first, [finding]);
    expect((await getValidationView(t.as(t.coordinatorAdmin), id!)).quorum.confirmations).toBe(0);
    expect(await recordAttempt(t.as(second), id!, reproduced())).toMatchObject({ state: 'received', quorum: { confirmations: 1 } });
  });

  it('takes attempts only from analysts and admins of validating kinds, on clusters they can see', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const vendor = await t.org('vendor');
    const agencyViewer = await t.org('agency', { role: 'viewer' });
    const outsider = await t.org('agency');
    const [id] = await report(t, lab, [distinctFinding()], { shareWith: [vendor.orgId, agencyViewer.orgId] });
    expect((await errorOf(recordAttempt(t.as(vendor), id!, reproduced()))).name).toBe('NotAllowedError');
    expect((await errorOf(recordAttempt(t.as(agencyViewer), id!, reproduced()))).name).toBe('NotAllowedError');
    expect((await errorOf(recordAttempt(t.as(outsider), id!, reproduced()))).name).toBe('NotFoundError');
  });
});

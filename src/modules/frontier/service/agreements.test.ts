import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import type { AgreementTerms } from '../domain/testing-agreement.js';
import { endAgreement, getAgreement, listAgreements, proposeAgreement, signAgreement } from './agreements.js';
import { acknowledgeGrant, createGrant } from './grants.js';
import { registerModel } from './models.js';
import { endReview, extendReview, openReview } from './reviews.js';

function terms(t: { lab: string; agency: string }, extra: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    scope: { allModels: false, families: ['Atlas'], models: [] },
    window: { defaultDays: 14, maxDays: 21 },
    releaseNoticeDays: 10,
    confidentiality: 'Outputs stay with the named agency staff.',
    useTerms: 'Cyber-risk assessment only.',
    retention: { keep: ['evaluation_logs'], days: 60 },
    grantees: ['agency'],
    grantTerms: ['confidentiality', 'use_restrictions'],
    contacts: [
      { side: 'developer', name: 'Dana', email: `dana@${t.lab}.example`, role: 'policy' },
      { side: 'government', name: 'Gil', email: `gil@${t.agency}.example`, role: 'program' },
    ],
    ...extra,
  };
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected a refusal');
}

async function parties(t: TestRuntime) {
  const lab = await t.org('model_developer');
  const agency = await t.org('agency');
  const names = { lab: 'lab', agency: 'agency' };
  return { lab, agency, names };
}

describeEachDatabase('voluntary testing agreements', (dialect) => {
  const get = useTestRuntime(dialect);

  it('are in force only once both admins signed; a new version needs both again, the old one stays in force meanwhile', async () => {
    const t = get();
    const { lab, agency, names } = await parties(t);
    const proposed = await proposeAgreement(t.as(lab), {
      counterpartyOrgId: agency.orgId,
      terms: terms(names),
      title: 'Atlas early access',
    });
    expect(proposed).toMatchObject({ status: 'proposed', versionInForce: null, developerOrgId: lab.orgId, governmentOrgId: agency.orgId });
    const id = proposed.id;
    expect((await signAgreement(t.as(lab), id, { version: 1 })).status).toBe('proposed');
    expect(await code(signAgreement(t.as(lab), id, { version: 1 }))).toBe('signed-already');
    const v1 = await signAgreement(t.as(agency), id, { version: 1 });
    expect(v1).toMatchObject({ status: 'in_force', versionInForce: 1 });

    const v2 = await proposeAgreement(t.as(agency), { agreementId: id, terms: terms(names, { window: { defaultDays: 7, maxDays: 10 } }) });
    expect(v2.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'in_force'],
      [2, 'proposed'],
    ]);
    expect(v2.versionInForce).toBe(1);
    await signAgreement(t.as(agency), id, { version: 2 });
    const both = await signAgreement(t.as(lab), id, { version: 2 });
    expect(both.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'in_force'],
    ]);
    expect(await code(signAgreement(t.as(lab), id, { version: 1 }))).toBe('version-not-proposed');
  });

  it('binds organisations through their admins only, and shows them to their parties and the coordinator alone', async () => {
    const t = get();
    const { lab, agency, names } = await parties(t);
    const analyst = await t.user(lab.orgId, 'analyst');
    const otherLab = await t.org('model_developer');
    expect(await code(proposeAgreement(t.as(analyst), { counterpartyOrgId: agency.orgId, terms: terms(names) }))).toBe('not-allowed');
    const a = await proposeAgreement(t.as(lab), { counterpartyOrgId: agency.orgId, terms: terms(names) });
    expect(await code(proposeAgreement(t.as(lab), { counterpartyOrgId: agency.orgId, terms: terms(names) }))).toBe('agreement-exists');
    expect(await code(signAgreement(t.as(analyst), a.id, { version: 1 }))).toBe('not-allowed');
    expect(await code(getAgreement(t.as(otherLab), a.id))).toBe('not-found');
    expect(await code(signAgreement(t.as(otherLab), a.id, { version: 1 }))).toBe('not-found');
    expect((await listAgreements(t.as(otherLab))).items).toEqual([]);
    expect((await listAgreements(t.as(t.coordinatorAdmin))).items.map((x) => x.id)).toEqual([a.id]);
    expect(await code(proposeAgreement(t.as(lab), { counterpartyOrgId: otherLab.orgId, terms: terms(names) }))).toBe('invalid-input');
  });

  it('never allows a window above the policy maximum', async () => {
    const t = get();
    const { lab, agency, names } = await parties(t);
    const refused = proposeAgreement(t.as(lab), {
      counterpartyOrgId: agency.orgId,
      terms: terms(names, { window: { defaultDays: 14, maxDays: 31 } }),
    });
    await expect(refused).rejects.toMatchObject({ code: 'unprocessable', issues: [{ pointer: '/terms/window/maxDays' }] });
    await expect(proposeAgreement(t.as(lab), { counterpartyOrgId: agency.orgId, terms: { scope: {} } })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect((await listAgreements(t.as(lab))).items).toEqual([]);
  });

  it('reviews record the version in force when they open, take its window, and grants inherit its terms; ending it ends no review', async () => {
    const t = get();
    const { lab, agency, names } = await parties(t);
    const a = await proposeAgreement(t.as(lab), { counterpartyOrgId: agency.orgId, terms: terms(names) });
    await signAgreement(t.as(lab), a.id, { version: 1 });
    await signAgreement(t.as(agency), a.id, { version: 1 });
    const model = await registerModel(t.as(lab), { name: 'Atlas 4', version: '1.0', plannedRelease: '2026-09-01' });
    const start = t.clock.now().toISOString();

    const tooLong = openReview(t.as(lab), { modelId: model.id, accessStart: start, days: 22 });
    await expect(tooLong).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(tooLong).rejects.toThrow(/at most 21 days under voluntary testing agreement/);
    const review = await openReview(t.as(lab), { modelId: model.id, accessStart: start });
    expect(review).toMatchObject({ days: 14, agreement: { id: a.id, version: 1 } });
    expect(await code(extendReview(t.as(lab), review.id, { additionalDays: 8 }))).toBe('unprocessable');

    const grant = await createGrant(t.as(lab), review.id, { granteeOrgId: agency.orgId, scope: 'hosted_api', expiresAt: review.windowEnd });
    expect(grant.terms.map((x) => x.key)).toEqual(['confidentiality', 'use_restrictions']);
    await expect(acknowledgeGrant(t.as(agency), grant.id, { terms: ['confidentiality', 'use_restrictions'] })).resolves.toMatchObject({
      status: 'active',
    });
    // The agreement names agencies as grantees, not the coordinator.
    const coordinatorGrant = createGrant(t.as(lab), review.id, {
      granteeOrgId: t.coordinatorAdmin.orgId,
      scope: 'hosted_api',
      expiresAt: review.windowEnd,
    });
    await expect(coordinatorGrant).rejects.toMatchObject({ code: 'unprocessable', issues: [{ pointer: '/granteeOrgId' }] });

    // Either side ends it: the running review keeps its version and runs on; nothing else changes.
    const ended = await endAgreement(t.as(agency), a.id, { reason: 'program paused' });
    expect(ended).toMatchObject({ status: 'ended', versionInForce: null, endedByOrgId: agency.orgId });
    expect(await code(signAgreement(t.as(lab), a.id, { version: 1 }))).toBe('agreement-ended');
    await endReview(t.as(lab), review.id);
    t.clock.advance(DAY);
    const next = await openReview(t.as(lab), { modelId: model.id, accessStart: t.clock.now().toISOString(), days: 30 });
    expect(next).toMatchObject({ days: 30, agreement: null });
  });
});

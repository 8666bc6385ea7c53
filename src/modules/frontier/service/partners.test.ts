import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { frontierScene, grantAndAcknowledge } from '../test-support/scene.js';
import { listGrants } from './grants.js';
import { getNomination, listNominations, nominatePartner, scoreNomination, signOffNomination } from './partners.js';

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return (error as { code?: string } | null)?.code ?? `no error: ${String(error)}`;
}

const nomination = (candidateOrgId: string) => ({
  candidateOrgId,
  rationale: 'runs the grid',
  vettingCompleted: true,
  incidentResponseCapacity: 'continuous',
  scope: 'sandbox',
});

describeEachDatabase('frontier trusted partners', (dialect) => {
  const get = useTestRuntime(dialect);

  it('selects a partner only with two sign-offs from two organisations, one per side, and then grants it access', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const nominated = await nominatePartner(t.as(scene.agency), scene.model.id, nomination(scene.partner.orgId));
    expect(nominated).toMatchObject({
      status: 'nominated',
      nominatingSide: 'government',
      score: { eligible: true, score: 100, policyVersion: 1 },
    });
    expect(nominated.score?.factors.find((f) => f.key === 'sector_criticality')?.explanation).toContain('energy');
    expect(await code(nominatePartner(t.as(scene.lab), scene.model.id, nomination(scene.partner.orgId)))).toBe('already-nominated');

    const labAnalyst = await t.user(scene.lab.orgId, 'analyst');
    await expect(signOffNomination(t.as(labAnalyst), nominated.id)).rejects.toBeInstanceOf(NotAllowedError);
    const first = await signOffNomination(t.as(scene.lab), nominated.id, { note: 'we agree' });
    expect(first).toMatchObject({ status: 'nominated', signOffs: [{ orgId: scene.lab.orgId, side: 'developer' }] });
    // The same organisation twice — even another admin of it — is refused.
    const secondLabAdmin = await t.user(scene.lab.orgId, 'admin');
    expect(await code(signOffNomination(t.as(secondLabAdmin), nominated.id))).toBe('same-org-sign-off');
    expect((await listGrants(t.as(scene.partner), {})).items).toEqual([]);

    const selected = await signOffNomination(t.as(scene.agency), nominated.id);
    expect(selected).toMatchObject({ status: 'selected', selectedAt: '2026-06-02T12:00:00.000Z' });
    expect(selected.signOffs.map((s) => s.side)).toEqual(['developer', 'government']);
    const grants = (await listGrants(t.as(scene.partner), {})).items;
    expect(grants).toMatchObject([
      {
        granteeOrgId: scene.partner.orgId,
        scope: 'sandbox',
        status: 'pending',
        expiresAt: scene.review.windowEnd,
        nominationId: nominated.id,
      },
    ]);
    // The selection announces what it gave: the agency that signed learns how many grants, not the grants
    // (it may not read them); the developer and the coordinator read them.
    expect(selected.grants).toEqual({ issued: 1, readable: [] });
    const announced = [{ id: grants[0]?.id, reviewId: scene.review.id, startsAt: grants[0]?.startsAt, expiresAt: scene.review.windowEnd }];
    expect((await getNomination(t.as(scene.lab), nominated.id)).grants).toEqual({ issued: 1, readable: announced });
    expect((await listNominations(t.as(t.coordinatorAdmin), scene.model.id, {})).items[0]?.grants).toEqual({
      issued: 1,
      readable: announced,
    });
    expect(await code(signOffNomination(t.as(t.coordinatorAdmin), nominated.id))).toBe('already-selected');
    expect((await eventsAbout(t.runtime.db.kysely, nominated.id)).map((e) => e.type)).toEqual(['frontier.partner.selected']);
  });

  it('refuses two government sign-offs without the developer, and a candidate short of the hard requirements', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const n = await nominatePartner(t.as(scene.lab), scene.model.id, nomination(scene.partner.orgId));
    await signOffNomination(t.as(scene.agency), n.id);
    expect(await code(signOffNomination(t.as(t.coordinatorAdmin), n.id))).toBe('side-signed-already');

    const unvetted = await t.org('vendor', { sectors: ['water'] });
    const weak = await nominatePartner(t.as(scene.lab), scene.model.id, { candidateOrgId: unvetted.orgId, rationale: 'maybe' });
    expect(weak.score).toMatchObject({ eligible: false });
    const error = await signOffNomination(t.as(scene.lab), weak.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('hard requirements of frontier policy version 1');
    const otherLab = await t.org('model_developer');
    await expect(signOffNomination(t.as(otherLab), n.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps nominations from other partners and other labs, and scores again on request', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const n = await nominatePartner(t.as(scene.lab), scene.model.id, nomination(scene.partner.orgId));
    await signOffNomination(t.as(scene.lab), n.id);
    await signOffNomination(t.as(scene.agency), n.id);
    const rival = await t.org('vendor', { sectors: ['communications'] });
    const other = await nominatePartner(t.as(scene.agency), scene.model.id, nomination(rival.orgId));
    // The selected partner sees the model it was granted, but not the deliberations about other candidates.
    expect((await listNominations(t.as(scene.partner), scene.model.id, {})).items).toEqual([]);
    await expect(getNomination(t.as(scene.partner), other.id)).rejects.toBeInstanceOf(NotFoundError);
    const otherLab = await t.org('model_developer');
    await expect(listNominations(t.as(otherLab), scene.model.id, {})).rejects.toBeInstanceOf(NotFoundError);
    expect((await listNominations(t.as(scene.lab), scene.model.id, {})).items).toHaveLength(2);
    // Communications rates 0.9, a 24×7 team 1: (0.3 × 0.9 + 0.25 × 1) / 0.55 = 94.5…
    expect((await scoreNomination(t.as(t.coordinatorAdmin), other.id)).score?.score).toBe(94.6);
    await expect(nominatePartner(t.as(scene.partner), scene.model.id, nomination(rival.orgId))).rejects.toBeInstanceOf(NotAllowedError);
  });
});

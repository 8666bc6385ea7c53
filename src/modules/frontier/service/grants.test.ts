import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY, HOUR } from '../../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { frontierScene, grantAndAcknowledge } from '../test-support/scene.js';
import { acknowledgeGrant, createGrant, getGrant, listGrantAccess, listGrants, reportGrantUse, revokeGrant } from './grants.js';
import { addMaterial, downloadMaterial, listReviewAccess } from './materials.js';

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return (error as { code?: string } | null)?.code ?? `no error: ${String(error)}`;
}

describeEachDatabase('frontier access grants', (dialect) => {
  const get = useTestRuntime(dialect);

  it('grants access until the window’s end, refusing a later expiry with a 422 that names it', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const late = await createGrant(t.as(scene.lab), scene.review.id, {
      granteeOrgId: scene.agency.orgId,
      scope: 'hosted_api',
      expiresAt: '2026-07-02T12:00:00.001Z',
    }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(InputError);
    expect((late as InputError).code).toBe('unprocessable');
    expect((late as InputError).message).toContain("after the review window's end 2026-07-02T12:00:00.000Z");
    const grant = await createGrant(t.as(scene.lab), scene.review.id, {
      granteeOrgId: scene.agency.orgId,
      scope: 'weights_secure_enclave',
      expiresAt: scene.review.windowEnd,
      credentialRef: 'vault://lab/agency',
    });
    expect(grant).toMatchObject({
      status: 'pending',
      usable: false,
      scope: 'weights_secure_enclave',
      credentialRef: 'vault://lab/agency',
      startsAt: scene.review.windowStart,
    });
    expect(grant.terms.map((x) => x.key)).toEqual([
      'confidentiality',
      'cybersecurity',
      'insider_risk',
      'intellectual_property',
      'use_restrictions',
      'nondisclosure',
    ]);
    expect(
      await code(
        createGrant(t.as(scene.lab), scene.review.id, {
          granteeOrgId: scene.agency.orgId,
          scope: 'sandbox',
          expiresAt: scene.review.windowEnd,
        }),
      ),
    ).toBe('grant-exists');
    // Only agencies and selected partners receive grants; the partner has not been selected by both sides.
    expect(
      await code(
        createGrant(t.as(scene.lab), scene.review.id, {
          granteeOrgId: scene.partner.orgId,
          scope: 'sandbox',
          expiresAt: scene.review.windowEnd,
        }),
      ),
    ).toBe('unprocessable');
    await expect(
      createGrant(t.as(scene.agency), scene.review.id, {
        granteeOrgId: scene.agency.orgId,
        scope: 'sandbox',
        expiresAt: scene.review.windowEnd,
      }),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('needs every term acknowledged before access, and logs each reported use', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const grant = await createGrant(t.as(scene.lab), scene.review.id, {
      granteeOrgId: scene.agency.orgId,
      scope: 'hosted_api',
      expiresAt: scene.review.windowEnd,
    });
    expect(await code(reportGrantUse(t.as(scene.agency), grant.id, { description: 'too early' }))).toBe('grant-not-usable');
    expect(
      (await acknowledgeGrant(t.as(scene.agency), grant.id, { terms: ['confidentiality'] }).catch((e: unknown) => e)) as InputError,
    ).toMatchObject({ issues: [{ pointer: '/terms' }] });
    await expect(acknowledgeGrant(t.as(scene.lab), grant.id, { terms: [] })).rejects.toBeInstanceOf(NotAllowedError);
    const active = await acknowledgeGrant(t.as(scene.agency), grant.id, { terms: grant.terms.map((x) => x.key) });
    expect(active).toMatchObject({ status: 'active', usable: true, acknowledgedBy: scene.agency.userId });
    const use = await reportGrantUse(t.as(scene.agency), grant.id, { description: 'ran the Cybench suite' });
    expect(use).toMatchObject({ kind: 'use', grantId: grant.id, orgId: scene.agency.orgId, usedAt: '2026-06-02T12:00:00.000Z' });
    expect((await listGrantAccess(t.as(scene.lab), grant.id, {})).items.map((e) => e.description)).toEqual(['ran the Cybench suite']);
  });

  it('expires on its own: access is refused at the expiry, and the job records it and tells the developer’s system', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const grant = await grantAndAcknowledge(t, scene, scene.agency, '2026-06-05T12:00:00.000Z');
    const material = await addMaterial(t.as(scene.lab), scene.review.id, {
      name: 'system-card.pdf',
      mediaType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.7 card'),
    });
    const download = await downloadMaterial(t.as(scene.agency), scene.review.id, material.id);
    expect(download.bytes.toString()).toBe('%PDF-1.7 card');
    t.clock.advance(3 * DAY - 1);
    await reportGrantUse(t.as(scene.agency), grant.id, { description: 'last minute' });
    t.clock.advance(1);
    // Refused on the dot, before any job ran.
    expect(await code(reportGrantUse(t.as(scene.agency), grant.id, { description: 'too late' }))).toBe('grant-not-usable');
    expect(await code(downloadMaterial(t.as(scene.agency), scene.review.id, material.id))).toBe('grant-not-usable');
    expect(await getGrant(t.as(scene.agency), grant.id)).toMatchObject({ status: 'expired', usable: false });
    t.clock.advance(HOUR);
    await t.runtime.jobs.drain();
    const row = await t.runtime.db.kysely
      .selectFrom('frontier_grant')
      .select(['status', 'end_reason', 'ended_at'])
      .where('id', '=', grant.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'expired', end_reason: 'expired', ended_at: '2026-06-05T12:00:00.000Z' });
    expect((await eventsAbout(t.runtime.db.kysely, grant.id)).map((e) => e.type)).toEqual([
      'frontier.grant.created',
      'frontier.grant.acknowledged',
      'frontier.grant.expired',
    ]);
    const log = await listReviewAccess(t.as(scene.lab), scene.review.id, {});
    expect(log.items.map((e) => e.kind)).toEqual(['use', 'download']);
  });

  it('lets the developer revoke at any time, after which access is refused', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const grant = await grantAndAcknowledge(t, scene);
    await expect(revokeGrant(t.as(scene.agency), grant.id, {})).rejects.toBeInstanceOf(NotAllowedError);
    const revoked = await revokeGrant(t.as(scene.lab), grant.id, { reason: 'for_cause' });
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'for_cause', usable: false });
    expect(await code(reportGrantUse(t.as(scene.agency), grant.id, { description: 'x' }))).toBe('grant-not-usable');
    await expect(revokeGrant(t.as(scene.lab), grant.id, {})).rejects.toBeInstanceOf(ConflictError);
    expect((await eventsAbout(t.runtime.db.kysely, grant.id)).at(-1)).toMatchObject({
      type: 'frontier.grant.revoked',
      payload: { reason: 'revoked', credentialRef: 'https://access.lab.example/grants/1' },
    });
  });

  it('shows a grantee only its own grants', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const other = await t.org('agency');
    const mine = await grantAndAcknowledge(t, scene);
    const theirs = await grantAndAcknowledge(t, scene, other);
    expect((await listGrants(t.as(scene.agency), {})).items.map((g) => g.id)).toEqual([mine.id]);
    expect((await listGrants(t.as(other), {})).items.map((g) => g.id)).toEqual([theirs.id]);
    expect((await listGrants(t.as(scene.lab), { reviewId: scene.review.id })).items.map((g) => g.id).sort()).toEqual(
      [mine.id, theirs.id].sort(),
    );
    await expect(getGrant(t.as(other), mine.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listGrants(t.as(t.coordinatorAdmin), {})).items).toHaveLength(2);
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY, HOUR } from '../../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { frontierScene, grantAndAcknowledge } from '../test-support/scene.js';
import { getGrant } from './grants.js';
import { getModel, registerModel } from './models.js';
import { updatePolicy } from './policy.js';
import { endReview, extendReview, getReview, listReviews, openReview, reviewTimeline, withdrawReview } from './reviews.js';

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
  return error;
}

describeEachDatabase('frontier reviews', (dialect) => {
  const get = useTestRuntime(dialect);

  it('opens a window of exact instants, shown in the developer’s zone, with a countdown', async () => {
    const t = get();
    const { review, lab, model } = await frontierScene(t);
    expect(review).toMatchObject({
      state: 'open',
      days: 30,
      windowStart: '2026-06-02T12:00:00.000Z',
      windowEnd: '2026-07-02T12:00:00.000Z',
      policyVersion: 1,
    });
    expect(review.windowStartLocal).toBe('2026-06-02T08:00:00-04:00');
    expect(review.countdown).toMatchObject({ until: 'closes', remainingMs: 30 * DAY });
    expect((await listReviews(t.as(lab), { modelId: model.id })).items.map((r) => r.id)).toEqual([review.id]);
  });

  it('refuses a window over the maximum with a 422 stating the maximum and the policy version, and creates nothing', async () => {
    const t = get();
    const { lab, model, review } = await frontierScene(t);
    await endReview(t.as(lab), review.id);
    const error = await refusal(openReview(t.as(lab), { modelId: model.id, accessStart: '2026-06-10T09:00:00-04:00', days: 31 }));
    expect(error.code).toBe('unprocessable');
    expect(error.message).toContain('at most 30 days under frontier policy version 1');
    expect(error.issues).toEqual([{ pointer: '/days', detail: 'must be at most 30 days (policy version 1)' }]);
    expect((await listReviews(t.as(lab), { modelId: model.id })).items).toHaveLength(1);
  });

  it('takes the maximum from the policy: a coordinator admin sets 90 days, audited, and 60-day windows pass', async () => {
    const t = get();
    const { lab, model, review } = await frontierScene(t);
    await endReview(t.as(lab), review.id);
    await expect(updatePolicy(t.as(lab), { document: { ...DEFAULT_POLICY, windowMaxDays: 90 }, note: 'x' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    const policy = await updatePolicy(t.as(t.coordinatorAdmin), {
      document: { ...DEFAULT_POLICY, windowMaxDays: 90 },
      note: 'as the earlier draft had',
    });
    expect(policy).toMatchObject({ version: 2, windowMaxDays: 90 });
    const audit = await t.runtime.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'diff'])
      .where('action', '=', 'frontier.policy.update')
      .execute();
    expect(JSON.parse(audit[0]?.diff as string)).toMatchObject({ version: 2, changed: { windowMaxDays: [30, 90] } });
    const long = await openReview(t.as(lab), { modelId: model.id, accessStart: '2026-06-03T00:00:00Z', days: 60 });
    expect(long).toMatchObject({ days: 60, policyVersion: 2 });
    expect((await refusal(extendReview(t.as(lab), long.id, { additionalDays: 31 }))).message).toContain(
      'at most 90 days under frontier policy version 2',
    );
  });

  it('extends within the maximum only, and records who did what and when', async () => {
    const t = get();
    const { lab, review } = await frontierScene(t, { days: 20 });
    const extended = await extendReview(t.as(lab), review.id, { additionalDays: 10 });
    expect(extended).toMatchObject({ days: 30, windowEnd: '2026-07-02T12:00:00.000Z' });
    const error = await refusal(extendReview(t.as(lab), review.id, { additionalDays: 1 }));
    expect(error.code).toBe('unprocessable');
    expect(error.message).toContain('30 already granted + 1 more');
    t.clock.advance(DAY);
    await endReview(t.as(lab), review.id, { reason: 'evaluations done' });
    const timeline = await reviewTimeline(t.as(lab), review.id);
    expect(timeline.map((e) => [e.kind, e.actor])).toEqual([
      ['review.opened', lab.userId],
      ['review.extended', lab.userId],
      ['review.ended', lab.userId],
    ]);
    expect(timeline[2]).toMatchObject({ at: '2026-06-03T12:00:00.000Z', actorOrgId: lab.orgId, detail: { reason: 'evaluations done' } });
  });

  it('lets only the developer open, change, end or withdraw; others get 403, other labs 404', async () => {
    const t = get();
    const { lab, agency, model, review } = await frontierScene(t);
    const otherLab = await t.org('model_developer');
    const viewer = await t.user(lab.orgId, 'viewer');
    await grantAndAcknowledge(t, { lab, agency, partner: agency, model, review });
    await expect(extendReview(t.as(agency), review.id, { additionalDays: 1 })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(endReview(t.as(viewer), review.id)).rejects.toBeInstanceOf(NotAllowedError);
    await expect(endReview(t.as(otherLab), review.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(openReview(t.as(otherLab), { modelId: model.id, accessStart: '2026-06-03T00:00:00Z', days: 3 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(openReview(t.as(lab), { modelId: model.id, accessStart: '2026-06-03T00:00:00Z', days: 3 })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('withdraws: the grants end with the review, the release date stays the developer’s', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const grant = await grantAndAcknowledge(t, scene);
    const withdrawn = await withdrawReview(t.as(scene.lab), scene.review.id, { reason: 'release plans changed' });
    expect(withdrawn).toMatchObject({ state: 'withdrawn', closedBy: scene.lab.userId, closeReason: 'release plans changed' });
    expect(await getGrant(t.as(scene.lab), grant.id)).toMatchObject({ status: 'expired', endReason: 'review_withdrawn', usable: false });
    expect((await getModel(t.as(scene.lab), scene.model.id)).plannedRelease).toBe('2026-09-01');
    await expect(endReview(t.as(scene.lab), scene.review.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('reminds participants before the window closes, once per lead time, then completes the review by the clock', async () => {
    const t = get();
    const scene = await frontierScene(t, { days: 10 });
    await grantAndAcknowledge(t, scene);
    await t.runtime.jobs.drain();
    const closing = async () =>
      (await eventsAbout(t.runtime.db.kysely, scene.review.id)).filter((e) => e.type === 'frontier.review.closing');
    expect(await closing()).toHaveLength(0);
    t.clock.advance(7 * DAY + HOUR);
    await t.runtime.jobs.drain();
    t.clock.advance(10 * 60_000);
    await t.runtime.jobs.drain();
    expect((await closing()).map((e) => e.payload)).toEqual([
      expect.objectContaining({ hoursLeft: 71, participantOrgIds: [scene.lab.orgId, scene.agency.orgId] }),
    ]);
    t.clock.advance(2 * DAY);
    await t.runtime.jobs.drain();
    expect(await closing()).toHaveLength(2);
    t.clock.advance(DAY);
    await t.runtime.jobs.drain();
    expect(await getReview(t.as(scene.lab), scene.review.id)).toMatchObject({
      state: 'completed',
      closedAt: scene.review.windowEnd,
      closedBy: 'system:frontier',
    });
    const types = (await eventsAbout(t.runtime.db.kysely, scene.review.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'frontier.review.closed')).toHaveLength(1);
  });

  it('enrolls a model whether or not it is covered, and refuses non-developers', async () => {
    const t = get();
    const agency = await t.org('agency');
    await expect(registerModel(t.as(agency), { name: 'X', version: '1', plannedRelease: '2026-09-01' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    const lab = await t.org('model_developer');
    const model = await registerModel(t.as(lab), { name: 'Small', version: '0.1', plannedRelease: '2026-08-01T00:00:00Z' });
    expect(model).toMatchObject({
      coveredStatus: 'undetermined',
      plannedRelease: '2026-08-01T00:00:00.000Z',
      developerOrgId: lab.orgId,
      tlp: 'AMBER+STRICT',
    });
    await expect(registerModel(t.as(lab), { name: ' small ', version: '0.1', plannedRelease: '2026-08-01' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { GRANT_TERM_KEYS } from '../domain/grant-rules.js';
import type { Grant, Model, Review } from '../presenters.js';
import { acknowledgeGrant, createGrant } from '../service/grants.js';
import { registerModel } from '../service/models.js';
import { openReview } from '../service/reviews.js';

/** A lab with a model under an open 30-day review, an agency, and an energy operator to select as partner. */
export interface Scene {
  readonly lab: TestUser;
  readonly agency: TestUser;
  readonly partner: TestUser;
  readonly model: Model;
  readonly review: Review;
}

export async function frontierScene(t: TestRuntime, options: { days?: number; name?: string } = {}): Promise<Scene> {
  const lab = await t.org('model_developer');
  const agency = await t.org('agency');
  const partner = await t.org('operator', { sectors: ['energy'] });
  const model = await registerModel(t.as(lab), { name: options.name ?? 'Atlas', version: '3.0', plannedRelease: '2026-09-01' });
  const review = await openReview(t.as(lab), {
    modelId: model.id,
    accessStart: t.clock.now().toISOString(),
    days: options.days ?? 30,
    timeZone: 'America/New_York',
  });
  return { lab, agency, partner, model, review };
}

/** The developer grants the agency access until the window's end; the agency acknowledges the terms. */
export async function grantAndAcknowledge(
  t: TestRuntime,
  scene: Scene,
  grantee: TestUser = scene.agency,
  expiresAt: string = scene.review.windowEnd,
): Promise<Grant> {
  const grant = await createGrant(t.as(scene.lab), scene.review.id, {
    granteeOrgId: grantee.orgId,
    scope: 'hosted_api',
    expiresAt,
    credentialRef: 'https://access.lab.example/grants/1',
  });
  return acknowledgeGrant(t.as(grantee), grant.id, { terms: GRANT_TERM_KEYS });
}

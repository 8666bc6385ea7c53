import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { verifyAuditChain } from '../../audit/index.js';
import { seedFrontierDemo } from './demo.js';
import { listEvaluations } from './evaluations.js';
import { getNomination } from './partners.js';
import { programTransparency } from './metrics.js';
import { reviewReport } from './report.js';
import { getReview } from './reviews.js';

describeEachDatabase('the frontier demo', (dialect) => {
  const get = useTestRuntime(dialect);

  it('puts one lab’s model under review with two agencies’ evaluations, a model-found vulnerability and a jointly selected partner', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const cisa = await t.org('agency');
    const nsa = await t.org('agency');
    const coop = await t.org('operator', { sectors: ['energy'] });
    const demo = await seedFrontierDemo(t.system, {
      developerOrgId: lab.orgId,
      agencyOrgIds: [cisa.orgId, nsa.orgId],
      partnerOrgId: coop.orgId,
    });

    expect(await getReview(t.as(lab), demo.reviewId)).toMatchObject({ state: 'open', days: 30, timeZone: 'America/Los_Angeles' });
    const evaluations = (await listEvaluations(t.as(lab), demo.reviewId, {})).items;
    expect(new Set(evaluations.map((e) => e.authorOrgId))).toEqual(new Set([cisa.orgId, nsa.orgId]));
    expect(evaluations.find((e) => e.kind === 'inspect')?.summary).toMatchObject({ samples: { total: 4, scored: 3, unscored: 1 } });
    expect((await eventsAbout(t.runtime.db.kysely, demo.vulnerabilityId))[0]).toMatchObject({
      type: 'frontier.finding.reported',
      payload: { tlp: 'RED' },
    });
    const nomination = await getNomination(t.as(lab), demo.nominationId);
    expect(nomination).toMatchObject({ status: 'selected', candidateOrgId: coop.orgId });
    expect(nomination.signOffs.map((s) => [s.orgId, s.side])).toEqual([
      [lab.orgId, 'developer'],
      [cisa.orgId, 'government'],
    ]);
    expect(demo.grantIds).toHaveLength(3);
    expect((await reviewReport(t.as(lab), demo.reviewId)).summary).toMatchObject({ evaluations: 2, atOrBeyondReference: 2 });
    expect((await programTransparency(t.system)).metrics).toMatchObject({
      reviews: { total: 1 },
      partners: { selected: 1 },
      models: { determinedCovered: 1 },
    });
    expect((await verifyAuditChain(t.runtime.db)).ok).toBe(true);
  });
});

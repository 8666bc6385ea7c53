import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { allOf, anyOf, coordinatorMembers, membersOf } from '../../../../test/access-matrix/world.js';
import { clusterAudience, intakeWorld } from '../../../../test/access-matrix/reports.js';
import { policyInForce } from '../service/policy.js';

/** Decisions of the two clusters validation validated: the GREEN one and the mixed one. */
function decisionCases(w: Parameters<ModuleMatrix['seed']>[0]): Call[] {
  const i = intakeWorld(w);
  return [
    { label: 'GREEN cluster decision', id: i.byTlp.GREEN.clusterId, audience: i.byTlp.GREEN.audience },
    { label: 'mixed cluster decision', id: i.mixed.clusterId, audience: clusterAudience(i.mixed.reports) },
  ].map(({ label, id, audience }) => ({
    label,
    params: { subjectId: id },
    // A decision is derived from the cluster's reports: the coordinator reads it, within what it may see.
    subject: { label, audience: allOf(coordinatorMembers, audience) },
  }));
}

export const scoringMatrix: ModuleMatrix = {
  module: 'scoring',
  async seed(w) {
    const i = intakeWorld(w);
    for (const id of [i.byTlp.GREEN.clusterId, i.mixed.clusterId]) {
      const row = await w.t.runtime.db.kysely
        .selectFrom('scoring_decision')
        .select('subject_id')
        .where('subject_id', '=', id)
        .executeTakeFirst();
      if (row === undefined) throw new Error(`scoring decided nothing for the validated cluster ${id}`);
    }
  },
  fixtures: [
    { route: 'GET /api/v1/scoring/decisions/{subjectId}', cases: (w) => decisionCases(w) },
    { route: 'GET /api/v1/scoring/decisions/{subjectId}/history', cases: (w) => decisionCases(w) },
    {
      // Ranked rows of the operator's inventory (seeded by inventory's matrix): its members and the coordinator.
      route: 'GET /api/v1/scoring/priorities',
      cases: (w) => [
        { label: 'mine' },
        {
          label: "the operator's",
          query: { orgId: w.orgs.operator.orgId },
          subject: { label: "operator's priorities", audience: anyOf(membersOf(w.orgs.operator.orgId), coordinatorMembers) },
        },
      ],
    },
    { route: 'GET /api/v1/scoring/policy', cases: () => [{ label: 'policy' }] },
    { route: 'GET /api/v1/scoring/policy/versions', cases: () => [{ label: 'versions' }] },
    { route: 'GET /api/v1/scoring/feeds', cases: () => [{ label: 'feeds' }] },
    {
      route: 'GET /api/v1/scoring/feeds/{feed}/imports',
      cases: () => ['kev', 'epss'].map((feed) => ({ label: `${feed} imports`, params: { feed } })),
    },
    {
      route: 'PUT /api/v1/scoring/policy',
      cases: (w) => [
        async (): Promise<Call> => {
          const { version: _label, ...policy } = (await policyInForce(w.t.runtime.db.kysely)).policy;
          void _label;
          return { label: 'the same policy again', body: { policy, note: 'unchanged' } };
        },
      ],
    },
    {
      route: 'PUT /api/v1/scoring/feeds/{feed}/source',
      cases: () => [{ label: 'kev source', params: { feed: 'kev' }, body: { url: 'https://feeds.example/kev.json', enabled: false } }],
    },
  ],
};

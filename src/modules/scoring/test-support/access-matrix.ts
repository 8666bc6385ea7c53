import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { allOf, anyOf, coordinatorMembers, membersOf } from '../../../../test/access-matrix/world.js';
import { clusterAudience, intakeWorld, osvRecord, seedReport } from '../../../../test/access-matrix/reports.js';
import type { World } from '../../../../test/access-matrix/world.js';
import { getCluster } from '../../intake/index.js';
import { createAsset, uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { prioritize } from '../service/decisions.js';
import { policyInForce } from '../service/policy.js';
import { epssCsv, kevCatalogJson } from './feeds.js';

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

/** The package of the GREEN advisory the hidden cluster names, and which the operator's line runs. */
const HIDDEN_PACKAGE = 'scoringwidget';

/**
 * A decision the operator must not build on (issue 10, derived data): the operator runs a package a GREEN
 * advisory names, and a TLP:RED report (the researcher's, shared with the vendor's analyst only) names the
 * advisory's CVE beside its own. The system decides that RED cluster as actively exploited on CISA's
 * enrichment of the RED report's own CVE id — a canary — so an operator's priorities standing on that
 * decision would say "CISA's enrichment of CVE-2099-…" to callers who may not read the report.
 */
async function seedHiddenDecision(w: World): Promise<void> {
  const shared = `CVE-2098-${String(10_000 + Math.floor(Math.random() * 80_000))}`;
  await upsertAdvisory(
    w.t.system,
    JSON.parse(osvRecord(`x_scoring-${shared}`, [shared], { ecosystem: 'npm', name: HIDDEN_PACKAGE }).toString()),
    {
      source: 'access-matrix',
      tlp: 'GREEN',
    },
  );
  const operator = w.member('operator.analyst');
  const asset = await createAsset(w.t.as(operator.user!), { name: 'Scoring line', criticality: 'high', internetFacing: true });
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    components: [{ type: 'library', name: HIDDEN_PACKAGE, version: '1.0.0', purl: `pkg:npm/${HIDDEN_PACKAGE}@1.0.0` }],
  };
  await uploadSbom(w.t.as(operator.user!), { assetId: asset.id, bytes: Buffer.from(JSON.stringify(sbom)) });
  await w.t.runtime.jobs.drain();
  // After the exposure settled: its consumer re-decides clusters naming the CVE from their reports alone.
  const report = await seedReport(w, w.member('researcher.analyst'), 'RED', 'scoring hidden cluster', { alias: shared });
  const own = (await getCluster(w.t.system, report.clusterId)).aliases.find((a) => a !== shared);
  if (own === undefined) throw new Error('the hidden report carries no alias of its own');
  await prioritize(w.t.system, {
    subjectId: report.clusterId,
    cveIds: [own, shared],
    cisaAdp: {
      cveId: own,
      role: 'CISA Coordinator',
      version: '2.0.3',
      timestamp: '2026-01-01',
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      pointer: '/containers/adp',
    },
  });
  await w.t.runtime.jobs.drain();
}

export const scoringMatrix: ModuleMatrix = {
  module: 'scoring',
  async seed(w) {
    await seedHiddenDecision(w);
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
      cases: () => [
        { label: 'kev source', params: { feed: 'kev' }, body: { url: 'https://feeds.example/kev.json', enabled: false } },
        { label: 'epss source', params: { feed: 'epss' }, body: { url: 'https://feeds.example/epss.csv.gz', enabled: false } },
      ],
    },
    {
      route: 'POST /api/v1/scoring/feeds/kev',
      cases: () => [
        {
          label: 'a KEV catalog file',
          query: { source: 'kev.json' },
          raw: {
            contentType: 'application/json',
            bytes: Buffer.from(kevCatalogJson('2099.01.01', '2099-01-01T00:00:00.000Z', [{ cveID: 'CVE-2098-0001' }])),
          },
        },
      ],
    },
    {
      route: 'POST /api/v1/scoring/feeds/epss',
      cases: () => [
        {
          label: 'an EPSS CSV file',
          query: { source: 'epss.csv' },
          raw: { contentType: 'text/csv', bytes: Buffer.from(epssCsv('2099-01-01', [['CVE-2098-0001', 0.5, 0.9]])) },
        },
      ],
    },
  ],
};

import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import {
  clusterCases,
  freshCluster,
  intakeWorld,
  seedReport,
  type IntakeWorld,
  type SeededReport,
} from '../../../../test/access-matrix/reports.js';
import { coordinatorStaff } from '../../../../test/access-matrix/world.js';
import type { Tlp } from '../../../platform/tlp.js';
import { mergeClusters } from '../service/regroup.js';
import { nativeDocument, nativeFinding } from './native.js';

let fresh = 0;

const WRITE_TLPS: readonly Tlp[] = ['GREEN', 'AMBER+STRICT', 'RED'];

export const intakeMatrix: ModuleMatrix = {
  module: 'intake',
  async seed(w) {
    const byTlp = {} as Record<Tlp, SeededReport>;
    for (const tlp of w.tlps) byTlp[tlp] = await seedReport(w, w.member('researcher.analyst'), tlp, `intake ${tlp} report`);
    const sharedAlias = `CVE-2098-${10_000 + Math.floor(Math.random() * 80_000)}`;
    const red = await seedReport(w, w.member('researcher.analyst'), 'RED', 'mixed RED report', { alias: sharedAlias });
    const amber = await seedReport(w, w.member('agency.analyst'), 'AMBER', 'mixed AMBER report', { alias: sharedAlias });
    const green = await seedReport(w, w.member('vendor.analyst'), 'GREEN', 'mixed GREEN report', { alias: sharedAlias });
    if (new Set([red.clusterId, amber.clusterId, green.clusterId]).size !== 1) throw new Error('the mixed reports did not share a cluster');
    w.put<IntakeWorld>('intake', { byTlp, mixed: { clusterId: red.clusterId, sharedAlias, reports: [red, amber, green] } });
    for (const report of Object.values(byTlp)) w.knownCluster(report.clusterId, `${report.tlp} cluster`, [report]);
    w.knownCluster(red.clusterId, 'mixed cluster', [red, amber, green]);
  },
  fixtures: [
    { route: 'GET /api/v1/intake/native-schema', cases: () => [{ label: 'schema' }] },
    {
      route: 'GET /api/v1/submissions/{id}',
      cases: (w) => {
        const i = intakeWorld(w);
        return [...Object.values(i.byTlp), ...i.mixed.reports].map((r) => ({
          label: `${r.tlp} submission`,
          params: { id: r.submissionId },
          subject: { label: `${r.tlp} submission`, audience: r.audience },
        }));
      },
    },
    {
      route: 'GET /api/v1/findings/{id}',
      cases: (w) => {
        const i = intakeWorld(w);
        return [...Object.values(i.byTlp), ...i.mixed.reports].map((r) => ({
          label: `${r.tlp} finding`,
          params: { id: r.findingId },
          subject: { label: `${r.tlp} finding`, audience: r.audience },
        }));
      },
    },
    {
      route: 'GET /api/v1/clusters',
      cases: (w) => {
        const i = intakeWorld(w);
        return [
          { label: 'all', query: { limit: '500' } },
          { label: 'by shared alias', query: { alias: i.mixed.sharedAlias } },
          { label: 'by reporter', query: { reporter: w.orgs.researcher.orgId, limit: '500' } },
        ];
      },
    },
    {
      route: 'GET /api/v1/clusters/{id}',
      cases: (w) => clusterCases(w),
    },
    {
      route: 'GET /api/v1/clusters/{id}/regroups',
      cases: (w) => clusterCases(w),
    },
    {
      route: 'GET /api/v1/clusters/{id}/candidates',
      cases: (w) => clusterCases(w),
    },
    {
      route: 'POST /api/v1/clusters/{id}/merge',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const from = await freshCluster(w, tlp);
          const into = await freshCluster(w, 'GREEN');
          return {
            label: `merge a ${tlp} cluster`,
            params: { id: from.clusterId },
            body: { into: into.clusterId, reason: 'the same flaw' },
            subject: { label: `${tlp} cluster`, audience: from.audience },
          };
        }),
    },
    {
      route: 'POST /api/v1/clusters/{id}/split',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const cluster = await freshCluster(w, tlp, 2);
          return {
            label: `split a ${tlp} cluster`,
            params: { id: cluster.clusterId },
            body: { findingIds: [cluster.findingIds[1]], reason: 'two flaws' },
            subject: { label: `${tlp} cluster`, audience: cluster.audience },
          };
        }),
    },
    {
      route: 'POST /api/v1/regroups/{id}/undo',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const from = await freshCluster(w, tlp);
          const into = await freshCluster(w, 'GREEN');
          const regroup = await mergeClusters(w.t.system, { from: from.clusterId, into: into.clusterId, reason: 'seeded' });
          return {
            label: `undo the merge of a ${tlp} cluster`,
            params: { id: regroup.id },
            // Regroups are the coordinators' records.
            subject: { label: 'regroup', audience: coordinatorStaff },
          };
        }),
    },
    {
      route: 'POST /api/v1/candidates/{id}/decision',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const text = `The search endpoint ${w.canary('candidate text', coordinatorStaff)} concatenates the user supplied query string into a SQL statement, allowing injection of arbitrary SQL through the q parameter of the orders search view`;
          const path = `src/near_${++fresh}.py`;
          const purl = `pkg:pypi/shop${fresh}@2.3.1`;
          const one = await seedReport(w, w.member('researcher.analyst'), tlp, `candidate ${tlp} report`, {
            text,
            path,
            purl,
            fn: 'search_orders',
          });
          // Findings naming only different vulnerability ids are never proposed: the second names none.
          const two = await seedReport(w, w.member('vendor.analyst'), 'GREEN', 'candidate GREEN report', {
            text: `${text}.`,
            path,
            purl,
            fn: 'find_orders',
            ownAlias: false,
          });
          const row = await w.t.runtime.db.kysely
            .selectFrom('intake_candidate')
            .select('id')
            .where((eb) =>
              eb.or([
                eb.and([eb('cluster_id', '=', one.clusterId), eb('other_cluster_id', '=', two.clusterId)]),
                eb.and([eb('cluster_id', '=', two.clusterId), eb('other_cluster_id', '=', one.clusterId)]),
              ]),
            )
            .executeTakeFirst();
          if (row === undefined) throw new Error('the near-duplicate job proposed no candidate');
          return {
            label: `decide a candidate with a ${tlp} cluster`,
            params: { id: row.id as string },
            body: { decision: 'dismiss', reason: 'different flaws' },
            // A proposal is seen by those who see both clusters, and coordinators.
            subject: { label: 'candidate', audience: (m) => one.audience(m) && two.audience(m) },
          };
        }),
    },
    {
      route: 'POST /api/v1/submissions',
      refusalMayWrite: ['validation_quota_usage'],
      cases: (w) => {
        const i = intakeWorld(w);
        return [
          async (): Promise<Call> => ({
            label: 'a new GREEN document',
            query: { tlp: 'GREEN' },
            raw: {
              contentType: 'application/json',
              bytes: nativeDocument([nativeFinding({ location: { path: `src/new_${++fresh}.py` } })]),
            },
          }),
          // A RED report of its own, so that the callers who become its reporters join no cluster other
          // fixtures name (the seeded RED cluster stays the RED report's alone).
          async (): Promise<Call> => ({
            label: "a RED report's bytes again",
            query: { tlp: 'RED', recipientUsers: w.orgs.vendor.analyst.userId! },
            raw: {
              contentType: 'application/json',
              bytes: (await seedReport(w, w.member('researcher.analyst'), 'RED', 'resubmitted RED report')).bytes,
            },
          }),
          {
            label: "the mixed GREEN report's bytes again",
            query: { tlp: 'GREEN' },
            raw: { contentType: 'application/json', bytes: i.mixed.reports[2]!.bytes },
          },
        ];
      },
    },
  ],
};

import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import {
  anyOf,
  coordinatorMembers,
  coordinatorStaff,
  membersOf,
  type Audience,
  type Member,
  type World,
} from '../../../../test/access-matrix/world.js';
import { HOUR } from '../../../platform/clock.js';
import { withTransaction } from '../../../platform/db/index.js';
import { claimJobs } from '../../../platform/jobs/index.js';
import type { Tlp } from '../../../platform/tlp.js';
import { clusterCases, freshCluster, intakeWorld } from '../../../../test/access-matrix/reports.js';
import { recordAttempt } from '../service/attempts.js';
import { addEvidence } from '../service/evidence.js';
import { setVerdict } from '../service/verdicts.js';
import { reproduceKind, workerOf } from '../service/work-slots.js';
import { updateWork } from '../store/work.js';
import { notReproduced, reproduced } from './scene.js';

export interface ValidationWorld {
  readonly evidence: { readonly id: string; readonly tlp: Tlp; readonly audience: Audience }[];
}

const WRITE_TLPS: readonly Tlp[] = ['GREEN', 'AMBER+STRICT', 'RED'];

/** Claims the validation job of one cluster for `member`'s organisation, as `claim` would once it reached it. */
async function claimFor(w: World, member: Member, clusterId: string): Promise<string> {
  const ctx = w.t.as(member.user!);
  const [job] = await claimJobs(ctx.db, ctx.clock, {
    worker: workerOf(member.orgId!),
    kinds: [reproduceKind(clusterId)],
    limit: 1,
    leaseMs: 24 * HOUR,
  });
  if (job === undefined) throw new Error(`no open validation job on cluster ${clusterId}`);
  await withTransaction(ctx.db, (trx) =>
    updateWork(trx, job.id, {
      claimed_org_id: member.orgId,
      claimed_user_id: member.userId,
      claimed_at: ctx.clock.now().toISOString(),
      lease_expires_at: job.leaseExpiresAt,
    }),
  );
  return job.id;
}

const orgAudience = (orgId: string) => anyOf(membersOf(orgId), coordinatorMembers);

export const validationMatrix: ModuleMatrix = {
  module: 'validation',
  async seed(w) {
    const i = intakeWorld(w);
    const green = i.byTlp.GREEN.clusterId;
    const uploader = w.member('researcher.analyst');
    const evidence: ValidationWorld['evidence'] = [];
    for (const tlp of w.tlps) {
      const pending = w.later();
      w.tick();
      const row = await addEvidence(w.t.as(uploader.user!), green, {
        bytes: Buffer.from(`curl -d @${w.canary(`${tlp} evidence content`, pending.audience)} https://target.example/`),
        filename: `${w.canary(`${tlp} evidence file name`, pending.audience)}.sh`,
        tlp,
        recipients: w.sharing(tlp),
      });
      const audience = pending.bind({ id: row.id, tlp, ownerOrgId: uploader.orgId!, createdBy: uploader.userId });
      w.plant(row.sha256, `${tlp} evidence hash`, audience);
      evidence.push({ id: row.id, tlp, audience });
    }
    // An agency reproduces the GREEN report (valid by quorum, so scoring decides it); a lab reproduces the mixed cluster.
    for (const [member, clusterId, label] of [
      [w.member('agency.analyst'), green, 'GREEN cluster'],
      [w.member('model_developer.analyst'), i.mixed.clusterId, 'mixed cluster'],
    ] as const) {
      const notes = `Reproduced ${w.canary(`attempt notes on the ${label}`, anyOf(membersOf(member.orgId!), coordinatorStaff))}`;
      await recordAttempt(w.t.as(member.user!), clusterId, reproduced({ notes }));
    }
    // The coordinator finds the CLEAR report invalid; the reporter reads the note.
    await setVerdict(w.t.system, i.byTlp.CLEAR.clusterId, {
      state: 'invalid',
      reason: 'not_reproducible',
      note: `Could not reproduce ${w.canary('verdict note on the CLEAR cluster', i.byTlp.CLEAR.audience)}`,
    });
    w.tick();
    await w.t.runtime.jobs.drain();
    w.put<ValidationWorld>('validation', { evidence });
  },
  fixtures: [
    {
      route: 'GET /api/v1/validation/queue',
      cases: () => ['received', 'valid', 'invalid'].map((state) => ({ label: `${state} queue`, query: { state, limit: '500' } })),
    },
    {
      route: 'GET /api/v1/validation/queue/figures',
      // Counts only: the engine checks no count of a seeded cluster exceeds what the caller may see.
      cases: () => [{ label: 'queue figures, the days the world was seeded', query: { from: '2026-05-20', to: '2026-06-30' } }],
    },
    { route: 'GET /api/v1/validation/clusters/{id}', cases: (w) => clusterCases(w) },
    { route: 'GET /api/v1/validation/clusters/{id}/evidence', cases: (w) => clusterCases(w) },
    {
      route: 'GET /api/v1/validation/evidence/{id}',
      cases: (w) => evidenceCases(w),
    },
    {
      route: 'GET /api/v1/validation/evidence/{id}/content',
      cases: (w) => evidenceCases(w),
    },
    { route: 'GET /api/v1/validation/my-reports', cases: () => [{ label: 'mine', query: { limit: '500' } }] },
    { route: 'GET /api/v1/validation/policy', cases: () => [{ label: 'policy' }] },
    { route: 'GET /api/v1/validation/jobs', cases: () => [{ label: 'my jobs' }] },
    { route: 'GET /api/v1/validation/reporters', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    {
      route: 'GET /api/v1/validation/reporters/{id}',
      cases: (w) =>
        (['researcher', 'vendor'] as const).map((k) => ({
          label: `${k} record`,
          params: { id: w.orgs[k].orgId },
          subject: { label: `${k} org`, audience: orgAudience(w.orgs[k].orgId) },
        })),
    },
    { route: 'GET /api/v1/validation/tools', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    {
      route: 'POST /api/v1/validation/clusters/{id}/verdict',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const c = await freshCluster(w, tlp);
          return {
            label: `invalidate a ${tlp} cluster`,
            params: { id: c.clusterId },
            body: { state: 'invalid', reason: 'not_reproducible', note: 'no crash on 2.3.1' },
            subject: { label: `${tlp} cluster`, audience: c.audience },
          };
        }),
    },
    {
      route: 'POST /api/v1/validation/clusters/{id}/attempts',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const c = await freshCluster(w, tlp);
          return {
            label: `attempt on a ${tlp} cluster`,
            params: { id: c.clusterId },
            body: notReproduced(),
            subject: { label: `${tlp} cluster`, audience: c.audience },
          };
        }),
    },
    {
      route: 'POST /api/v1/validation/clusters/{id}/evidence',
      cases: (w) =>
        Object.values(intakeWorld(w).byTlp).map((r) => ({
          label: `evidence on the ${r.tlp} cluster`,
          params: { id: r.clusterId },
          query: { filename: 'poc.sh', tlp: 'GREEN' },
          raw: { contentType: 'application/octet-stream', bytes: Buffer.from('echo proof') },
          subject: { label: `${r.tlp} cluster`, audience: r.audience },
        })),
    },
    {
      route: 'POST /api/v1/validation/jobs/claim',
      cases: () => [{ label: 'claim', query: { leaseHours: '1' } }],
    },
    {
      route: 'POST /api/v1/validation/jobs/{id}/report',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const c = await freshCluster(w, tlp);
          const job = await claimFor(w, w.member('coordinator.analyst'), c.clusterId);
          return {
            label: `report a job on a ${tlp} cluster`,
            params: { id: job },
            body: notReproduced(),
            subject: { label: `${tlp} cluster's job`, audience: c.audience },
          };
        }),
    },
    {
      route: 'POST /api/v1/validation/jobs/{id}/release',
      cases: (w) =>
        WRITE_TLPS.map((tlp) => async (): Promise<Call> => {
          const c = await freshCluster(w, tlp);
          const job = await claimFor(w, w.member('coordinator.analyst'), c.clusterId);
          return {
            label: `release a job on a ${tlp} cluster`,
            params: { id: job },
            subject: { label: `${tlp} cluster's job`, audience: c.audience },
          };
        }),
    },
    {
      route: 'PUT /api/v1/validation/reporters/{id}/quota',
      cases: (w) => [
        {
          label: "the researcher's quota",
          params: { id: w.orgs.researcher.orgId },
          body: { dailyLimit: 500, note: 'trusted lab' },
          subject: { label: 'researcher org', audience: orgAudience(w.orgs.researcher.orgId) },
        },
      ],
    },
    {
      route: 'DELETE /api/v1/validation/reporters/{id}/quota',
      cases: (w) => [
        {
          label: "the researcher's quota",
          params: { id: w.orgs.researcher.orgId },
          subject: { label: 'researcher org', audience: orgAudience(w.orgs.researcher.orgId) },
        },
      ],
    },
    { route: 'PUT /api/v1/validation/policy', cases: () => [{ label: 'same lease', body: { leaseHours: 24, note: 'unchanged' } }] },
  ],
};

function evidenceCases(w: World): Call[] {
  return w.get<ValidationWorld>('validation').evidence.map((e) => ({
    label: `${e.tlp} evidence`,
    params: { id: e.id },
    subject: { label: `${e.tlp} evidence`, audience: e.audience },
  }));
}

import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import type { Audience, Member, World } from '../../../../test/access-matrix/world.js';
import { DAY } from '../../../platform/clock.js';
import { createOrg } from '../../identity/index.js';
import { GRANT_TERM_KEYS } from '../domain/grant-rules.js';
import { addBenchmarkResults } from '../service/evaluations.js';
import { acknowledgeGrant, createGrant, reportGrantUse } from '../service/grants.js';
import { addMaterial } from '../service/materials.js';
import { recordDetermination, registerModel } from '../service/models.js';
import { nominatePartner } from '../service/partners.js';
import { currentPolicy } from '../service/records.js';
import { openReview } from '../service/reviews.js';
import { addRiskFinding } from '../service/risk-findings.js';
import { reportVulnerability } from '../service/vulnerabilities.js';
import { inspectJsonLog } from './eval-archive.js';

/** A labelled frontier record: its id and who may see it (by its stored label and recipients). */
interface Seeded {
  readonly id: string;
  readonly audience: Audience;
}

export interface FrontierWorld {
  /** A model with a review, a grant to the agency (acknowledged), evaluations, findings and a nomination. */
  readonly shared: {
    model: Seeded;
    reviewId: string;
    grant: Seeded;
    evaluation: Seeded;
    risk: Seeded;
    nomination: Seeded;
    materialId: string;
  };
  /** A model under review that nobody was granted: its developer's and the coordinator's only. */
  readonly unshared: { model: Seeded; reviewId: string };
  readonly vulnerabilities: { readonly red: Seeded; readonly strict: Seeded };
}

export function frontierWorld(w: World): FrontierWorld {
  return w.get<FrontierWorld>('frontier');
}

let serial = 0;
const as = (w: World, m: Member) => w.t.as(m.user!);
const developer = (w: World) => w.member('model_developer.analyst');
const agency = (w: World) => w.member('agency.analyst');

/** A new model (and review) of the developer, its content canaries readable by the model's audience. */
async function seedModel(w: World, label: string, options: { review?: boolean; grantAgency?: boolean; acknowledge?: boolean } = {}) {
  const dev = developer(w);
  const pending = w.later();
  w.tick();
  const model = await registerModel(as(w, dev), {
    name: `Atlas ${++serial}`,
    version: '3.0',
    plannedRelease: new Date(w.t.clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10),
    description: `Model ${w.canary(`${label} model description`, pending.audience)}`,
  });
  const audience = pending.bind({ id: model.id, tlp: 'AMBER+STRICT', ownerOrgId: dev.orgId!, createdBy: dev.userId });
  if (options.review === false) return { model: { id: model.id, audience }, reviewId: '', grantId: '' };
  const review = await openReview(as(w, dev), { modelId: model.id, accessStart: w.t.clock.now().toISOString(), days: 20, timeZone: 'UTC' });
  let grantId = '';
  if (options.grantAgency === true) {
    const grant = await createGrant(as(w, dev), review.id, {
      granteeOrgId: w.orgs.agency.orgId,
      scope: 'hosted_api',
      expiresAt: review.windowEnd,
      credentialRef: `https://access.lab.example/${++serial}`,
    });
    if (options.acknowledge !== false) await acknowledgeGrant(as(w, agency(w)), grant.id, { terms: GRANT_TERM_KEYS });
    grantId = grant.id;
  }
  await w.refresh();
  return { model: { id: model.id, audience }, reviewId: review.id, grantId };
}

const labelled = (w: World, id: string, ownerOrgId: string, createdBy: string | null, tlp: 'RED' | 'AMBER+STRICT' = 'AMBER+STRICT') =>
  w.label({ id, tlp, ownerOrgId, createdBy });

export const frontierMatrix: ModuleMatrix = {
  module: 'frontier',
  async seed(w) {
    const dev = developer(w);
    const gov = agency(w);
    const shared = await seedModel(w, 'shared', { grantAgency: true });
    const grant: Seeded = { id: shared.grantId, audience: labelled(w, shared.grantId, dev.orgId!, dev.userId) };
    await recordDetermination(as(w, gov), shared.model.id, {
      covered: true,
      assessmentRef: `CAP-${w.canary('determination', shared.model.audience)}`,
    });
    await reportGrantUse(as(w, gov), shared.grantId, { description: `Ran ${w.canary('grant use', grant.audience)}` });
    const material = await addMaterial(as(w, dev), shared.reviewId, {
      name: `${w.canary('material name', shared.model.audience)}.pdf`,
      bytes: Buffer.from(`system card ${w.canary('material content', shared.model.audience)}`),
    });
    const evalPending = w.later();
    const evaluation = await addBenchmarkResults(as(w, gov), shared.reviewId, {
      title: `Cyber ${w.canary('evaluation title', evalPending.audience)}`,
      results: [{ benchmark: 'CyberGym', metric: 'reproduction_rate', value: 0.09, samples: 100 }],
    });
    const evaluationSeeded = {
      id: evaluation.id,
      audience: evalPending.bind({ id: evaluation.id, tlp: 'AMBER+STRICT', ownerOrgId: gov.orgId!, createdBy: gov.userId }),
    };
    const riskPending = w.later();
    const risk = await addRiskFinding(as(w, gov), shared.reviewId, {
      title: `Exploitation ${w.canary('risk finding title', riskPending.audience)}`,
      severity: 'high',
      description: 'Working exploits without guidance.',
    });
    const riskSeeded = {
      id: risk.id,
      audience: riskPending.bind({ id: risk.id, tlp: 'AMBER+STRICT', ownerOrgId: gov.orgId!, createdBy: gov.userId }),
    };
    const nomPending = w.later();
    const candidate = await createOrg(w.t.system, { name: `Partner ${++serial}`, kind: 'researcher', sectors: ['energy'] });
    const nomination = await nominatePartner(as(w, dev), shared.model.id, {
      candidateOrgId: candidate.id,
      rationale: `Staffed team ${w.canary('nomination rationale', nomPending.audience)}`,
      vettingCompleted: true,
    });
    const nominationSeeded = {
      id: nomination.id,
      audience: nomPending.bind({ id: nomination.id, tlp: 'AMBER+STRICT', ownerOrgId: dev.orgId!, createdBy: dev.userId }),
    };
    const vulnerabilities: Record<'red' | 'strict', Seeded> = {
      red: { id: '', audience: () => false },
      strict: { id: '', audience: () => false },
    };
    for (const [key, tlp] of [
      ['red', 'RED'],
      ['strict', 'AMBER+STRICT'],
    ] as const) {
      const pending = w.later();
      w.tick();
      const vuln = await reportVulnerability(as(w, gov), shared.reviewId, {
        title: `Overflow ${w.canary(`${tlp} model-found vulnerability title`, pending.audience)}`,
        description: `The model found ${w.canary(`${tlp} model-found vulnerability description`, pending.audience)}.`,
        target: { purl: `pkg:npm/${w.canary(`${tlp} model-found vulnerability target`, pending.audience)}@1.0.0` },
        tlp,
      });
      vulnerabilities[key] = { id: vuln.id, audience: pending.bind({ id: vuln.id, tlp, ownerOrgId: gov.orgId!, createdBy: gov.userId }) };
    }
    const unshared = await seedModel(w, 'unshared');
    w.tick();
    await w.t.runtime.jobs.drain();
    await w.refresh();
    w.put<FrontierWorld>('frontier', {
      shared: {
        model: shared.model,
        reviewId: shared.reviewId,
        grant,
        evaluation: evaluationSeeded,
        risk: riskSeeded,
        nomination: nominationSeeded,
        materialId: material.id,
      },
      unshared: { model: unshared.model, reviewId: unshared.reviewId },
      vulnerabilities,
    });
  },
  fixtures: [
    { route: 'GET /api/v1/frontier/models', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    { route: 'GET /api/v1/frontier/models/{id}', cases: (w) => modelCases(w) },
    { route: 'GET /api/v1/frontier/models/{id}/determinations', cases: (w) => modelCases(w) },
    { route: 'GET /api/v1/frontier/models/{id}/partners', cases: (w) => modelCases(w) },
    { route: 'GET /api/v1/frontier/partners/{id}', cases: (w) => [recordCall('nomination', frontierWorld(w).shared.nomination)] },
    { route: 'GET /api/v1/frontier/reviews', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    { route: 'GET /api/v1/frontier/reviews/{id}', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/reviews/{id}/timeline', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/reviews/{id}/report', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/reviews/{id}/report.html', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/reviews/{id}/access-log', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/reviews/{id}/materials', cases: (w) => reviewCases(w) },
    {
      route: 'GET /api/v1/frontier/reviews/{id}/materials/{materialId}/content',
      cases: (w) => {
        const s = frontierWorld(w).shared;
        return [
          {
            label: 'material',
            params: { id: s.reviewId, materialId: s.materialId },
            subject: { label: 'shared review', audience: s.model.audience },
          },
        ];
      },
    },
    { route: 'GET /api/v1/frontier/grants', cases: () => [{ label: 'all', query: { limit: '500' } }] },
    { route: 'GET /api/v1/frontier/grants/{id}', cases: (w) => [recordCall('grant', frontierWorld(w).shared.grant)] },
    { route: 'GET /api/v1/frontier/grants/{id}/uses', cases: (w) => [recordCall('grant', frontierWorld(w).shared.grant)] },
    { route: 'GET /api/v1/frontier/reviews/{id}/evaluations', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/evaluations/{id}', cases: (w) => [recordCall('evaluation', frontierWorld(w).shared.evaluation)] },
    { route: 'GET /api/v1/frontier/reviews/{id}/risk-findings', cases: (w) => reviewCases(w) },
    { route: 'GET /api/v1/frontier/risk-findings/{id}', cases: (w) => [recordCall('risk finding', frontierWorld(w).shared.risk)] },
    { route: 'GET /api/v1/frontier/reviews/{id}/vulnerabilities', cases: (w) => reviewCases(w) },
    {
      route: 'GET /api/v1/frontier/vulnerabilities/{id}',
      cases: (w) => {
        const v = frontierWorld(w).vulnerabilities;
        return [recordCall('RED vulnerability', v.red), recordCall('AMBER+STRICT vulnerability', v.strict)];
      },
    },
    { route: 'GET /api/v1/frontier/policy', cases: () => [{ label: 'policy' }] },
    { route: 'GET /api/v1/frontier/policy/versions', cases: () => [{ label: 'versions' }] },
    { route: 'GET /api/v1/frontier/metrics', cases: () => [{ label: 'metrics' }] },
    {
      route: 'POST /api/v1/frontier/models',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'a new model',
          body: {
            name: `Orion ${++serial}`,
            version: '1.0',
            plannedRelease: new Date(w.t.clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10),
          },
        }),
      ],
    },
    {
      route: 'PATCH /api/v1/frontier/models/{id}',
      cases: (w) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, 'patched', { review: false });
          return {
            label: 'a model',
            params: { id: m.model.id },
            body: { modality: 'text' },
            subject: { label: 'model', audience: m.model.audience },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/models/{id}/determinations',
      cases: (w) =>
        modelCases(w).map((c) => ({ ...c, body: { covered: true, assessmentRef: 'CAP-2026-1', determinedByOrgId: w.orgs.agency.orgId } })),
    },
    {
      route: 'POST /api/v1/frontier/models/{id}/partners',
      cases: (w) =>
        modelCases(w).map((c) => async (): Promise<Call> => {
          const candidate = await createOrg(w.t.system, { name: `Candidate ${++serial}`, kind: 'researcher', sectors: ['energy'] });
          return { ...c, body: { candidateOrgId: candidate.id, rationale: 'incident response team', vettingCompleted: true } };
        }),
    },
    { route: 'POST /api/v1/frontier/partners/{id}/score', cases: (w) => [recordCall('nomination', frontierWorld(w).shared.nomination)] },
    {
      route: 'POST /api/v1/frontier/partners/{id}/approve',
      cases: (w) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, 'approved', { grantAgency: true });
          const candidate = await createOrg(w.t.system, { name: `Candidate ${++serial}`, kind: 'operator', sectors: ['energy'] });
          const nomination = await nominatePartner(as(w, developer(w)), m.model.id, {
            candidateOrgId: candidate.id,
            rationale: 'Runs operational technology; staffed incident-response team.',
            vettingCompleted: true,
            incidentResponseCapacity: 'dedicated',
            scope: 'sandbox',
          });
          await w.refresh();
          return {
            label: 'a nomination',
            params: { id: nomination.id },
            body: { note: 'our side' },
            subject: { label: 'nomination', audience: labelled(w, nomination.id, developer(w).orgId!, developer(w).userId) },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/reviews',
      cases: (w) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, 'to review', { review: false });
          return {
            label: 'a review',
            body: { modelId: m.model.id, accessStart: w.t.clock.now().toISOString(), days: 10 },
            subject: { label: 'model', audience: m.model.audience },
          };
        },
      ],
    },
    ...(['extend', 'end', 'withdraw'] as const).map((verb) => ({
      route: `POST /api/v1/frontier/reviews/{id}/${verb}`,
      cases: (w: World) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, `to ${verb}`, { grantAgency: true });
          return {
            label: `${verb} a review`,
            params: { id: m.reviewId },
            body: verb === 'extend' ? { additionalDays: 1 } : { reason: 'done' },
            subject: { label: 'review', audience: m.model.audience },
          };
        },
      ],
    })),
    {
      route: 'POST /api/v1/frontier/reviews/{id}/grants',
      cases: (w) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, 'to grant');
          return {
            label: 'grant the agency',
            params: { id: m.reviewId },
            body: {
              granteeOrgId: w.orgs.agency.orgId,
              scope: 'hosted_api',
              expiresAt: new Date(w.t.clock.now().getTime() + 5 * DAY).toISOString(),
            },
            subject: { label: 'review', audience: m.model.audience },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/reviews/{id}/materials',
      cases: (w) =>
        reviewCases(w).map((c) => ({
          ...c,
          query: { name: 'card.pdf' },
          raw: { contentType: 'application/octet-stream', bytes: Buffer.from('card') },
        })),
    },
    ...(['acknowledge', 'revoke'] as const).map((verb) => ({
      route: `POST /api/v1/frontier/grants/{id}/${verb}`,
      cases: (w: World) => [
        async (): Promise<Call> => {
          const m = await seedModel(w, `to ${verb}`, { grantAgency: true, acknowledge: false });
          return {
            label: `${verb} a grant`,
            params: { id: m.grantId },
            body: verb === 'acknowledge' ? { terms: GRANT_TERM_KEYS } : { reason: 'no_longer_needed' },
            subject: { label: 'grant', audience: labelled(w, m.grantId, developer(w).orgId!, developer(w).userId) },
          };
        },
      ],
    })),
    {
      route: 'POST /api/v1/frontier/grants/{id}/uses',
      cases: (w) => [{ ...recordCall('grant', frontierWorld(w).shared.grant), body: { description: 'ran the suite' } }],
    },
    {
      route: 'POST /api/v1/frontier/reviews/{id}/evaluations/benchmarks',
      cases: (w) =>
        reviewCases(w).map((c) => ({
          ...c,
          body: { results: [{ benchmark: 'CVE-Bench', metric: 'success_rate', value: 0.1, samples: 40 }] },
        })),
    },
    {
      route: 'POST /api/v1/frontier/reviews/{id}/evaluations/inspect',
      cases: (w) =>
        reviewCases(w).map((c) => ({
          ...c,
          query: { filename: 'cybench.json' },
          raw: { contentType: 'application/json', bytes: inspectJsonLog() },
        })),
    },
    {
      route: 'POST /api/v1/frontier/reviews/{id}/risk-findings',
      cases: (w) => reviewCases(w).map((c) => ({ ...c, body: { title: 'Exploits', severity: 'medium', description: 'Some.' } })),
    },
    {
      route: 'POST /api/v1/frontier/risk-findings/{id}/status',
      cases: (w) => [
        async (): Promise<Call> => {
          const gov = agency(w);
          const risk = await addRiskFinding(as(w, gov), frontierWorld(w).shared.reviewId, {
            title: 'Exploits',
            severity: 'low',
            description: 'Some.',
          });
          await w.refresh();
          return {
            label: 'a risk finding',
            params: { id: risk.id },
            body: { status: 'acknowledged', note: 'seen' },
            subject: { label: 'risk finding', audience: labelled(w, risk.id, gov.orgId!, gov.userId) },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/frontier/reviews/{id}/vulnerabilities',
      cases: (w) =>
        reviewCases(w).map((c) => ({ ...c, body: { title: 'Overflow', description: 'Found by the model.', tlp: 'AMBER+STRICT' } })),
    },
    {
      route: 'PUT /api/v1/frontier/policy',
      cases: (w) => [
        async (): Promise<Call> => {
          const { version: _v, note: _n, createdAt: _c, createdBy: _b, ...document } = await currentPolicy(w.t.runtime.db.kysely);
          void [_v, _n, _c, _b];
          return { label: 'the same policy', body: { document, note: 'unchanged' } };
        },
      ],
    },
  ],
};

function recordCall(label: string, record: Seeded): Call {
  return { label, params: { id: record.id }, subject: { label, audience: record.audience } };
}

function modelCases(w: World): Call[] {
  const f = frontierWorld(w);
  return [recordCall('shared model', f.shared.model), recordCall('unshared model', f.unshared.model)];
}

function reviewCases(w: World): Call[] {
  const f = frontierWorld(w);
  return [
    { label: 'shared review', params: { id: f.shared.reviewId }, subject: { label: 'shared review', audience: f.shared.model.audience } },
    {
      label: 'unshared review',
      params: { id: f.unshared.reviewId },
      subject: { label: 'unshared review', audience: f.unshared.model.audience },
    },
  ];
}

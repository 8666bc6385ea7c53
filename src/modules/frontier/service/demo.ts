import { listUsers } from '../../identity/index.js';
import type { UserActor } from '../../../platform/actor.js';
import { DAY } from '../../../platform/clock.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { GRANT_TERM_KEYS } from '../domain/grant-rules.js';
import { acknowledgeGrant, createGrant, listGrants } from './grants.js';
import { addBenchmarkResults, importInspectLog } from './evaluations.js';
import { registerModel, recordDetermination } from './models.js';
import { nominatePartner, signOffNomination } from './partners.js';
import { asSystem, orgById } from './records.js';
import { openReview } from './reviews.js';
import { addRiskFinding } from './risk-findings.js';
import { reportVulnerability } from './vulnerabilities.js';

/** The organisations the frontier demo plays with. */
export interface FrontierDemoCast {
  /** The frontier lab whose model is under review. */
  readonly developerOrgId: string;
  /** Two agencies: the first determines coverage and imports an Inspect log, the second submits benchmark results. */
  readonly agencyOrgIds: readonly [string, string];
  /** An operator or vendor in a critical-infrastructure sector, selected as trusted partner by both sides. */
  readonly partnerOrgId: string;
}

export interface FrontierDemo {
  readonly modelId: string;
  readonly reviewId: string;
  readonly determinationId: string;
  readonly evaluationIds: readonly string[];
  readonly riskFindingId: string;
  readonly vulnerabilityId: string;
  readonly nominationId: string;
  readonly grantIds: readonly string[];
}

/** The first admin of an organisation, as an actor: the demo acts as each party's lead. */
async function adminOf(ctx: ServiceContext, orgId: string): Promise<ServiceContext> {
  const org = await orgById(ctx, ctx.db.kysely, orgId);
  const admin = (await listUsers(asSystem(ctx), orgId, { limit: 500 })).items.find((u) => u.role === 'admin' && u.disabledAt === null);
  if (admin === undefined) throw new Error(`the demo needs an admin in ${org.name}`);
  const actor: UserActor = { kind: 'user', userId: admin.id, orgId, orgKind: org.kind, role: 'admin', tokenId: null };
  return asActor(ctx, actor);
}

/** A small Inspect `.json` log, as Python writes it: one sample unscored (NaN), the stderr NaN too. */
function demoInspectLog(now: Date): Uint8Array {
  const sample = (id: number, value: string) => `{"id": ${id}, "epoch": 1, "scores": {"includes": {"value": ${value}}}}`;
  const text = `{
  "version": 2, "status": "success",
  "eval": {"task": "inspect_evals/cybench", "task_version": 1, "model": "meridian/atlas-3", "created": "${now.toISOString()}"},
  "results": {"total_samples": 4, "completed_samples": 4, "scores": [
    {"name": "includes", "scorer": "includes", "metrics": {"accuracy": {"name": "accuracy", "value": 0.3333}, "stderr": {"name": "stderr", "value": NaN}}}
  ]},
  "samples": [${[sample(1, '"C"'), sample(2, '"I"'), sample(3, '"I"'), sample(4, 'NaN')].join(', ')}]
}`;
  return new TextEncoder().encode(text);
}

/**
 * Fills the frontier program with a believable scene through the same use cases the API runs: one lab's
 * model under a 30-day review, determined covered by an agency; both agencies granted access, one
 * importing an Inspect log and the other benchmark results and a risk finding; one vulnerability the model
 * found, handed to intake at TLP:RED; and a trusted partner selected by the developer and an agency, with
 * its grant. Each step acts as the admin of the organisation that would take it.
 */
export async function seedFrontierDemo(ctx: ServiceContext, cast: FrontierDemoCast): Promise<FrontierDemo> {
  const [lab, agencyA, agencyB, partner] = await Promise.all([
    adminOf(ctx, cast.developerOrgId),
    adminOf(ctx, cast.agencyOrgIds[0]),
    adminOf(ctx, cast.agencyOrgIds[1]),
    adminOf(ctx, cast.partnerOrgId),
  ]);
  const now = ctx.clock.now();
  const model = await registerModel(lab, {
    name: 'Atlas',
    version: '3.0',
    plannedRelease: new Date(now.getTime() + 45 * DAY).toISOString().slice(0, 10),
    modality: 'text and code, agentic tool use',
    computeEstimateFlop: 3.1e26,
    description: 'General-purpose model with strong software-engineering and tool-use abilities.',
    contacts: [{ name: 'Frontier review desk', email: 'frontier-review@meridian-ai.demo', role: 'program contact' }],
  });
  const review = await openReview(lab, { modelId: model.id, accessStart: now.toISOString(), days: 30, timeZone: 'America/Los_Angeles' });
  const grantIds: string[] = [];
  for (const [agency, scope] of [
    [agencyA, 'hosted_api'],
    [agencyB, 'weights_secure_enclave'],
  ] as const) {
    const orgId = agency.actor.kind === 'user' ? agency.actor.orgId : '';
    const grant = await createGrant(lab, review.id, {
      granteeOrgId: orgId,
      scope,
      expiresAt: review.windowEnd,
      credentialRef: `https://access.meridian-ai.demo/frontier/${orgId}`,
    });
    await acknowledgeGrant(agency, grant.id, { terms: GRANT_TERM_KEYS });
    grantIds.push(grant.id);
  }
  // The agency sees the model once it holds a grant, and determines coverage under the rule in force.
  const determination = await recordDetermination(agencyA, model.id, {
    covered: true,
    assessmentRef: 'CAP-ASSESS-2026-0142 (held by the agency)',
  });
  const inspect = await importInspectLog(agencyA, review.id, { bytes: demoInspectLog(now), filename: 'cybench-atlas-3.json' });
  const benchmarks = await addBenchmarkResults(agencyB, review.id, {
    results: [
      { benchmark: 'CyberSecEval 3', metric: 'insecure_code_rate', value: 0.18, samples: 1916 },
      { benchmark: 'CVE-Bench', metric: 'success_rate', value: 0.12, samples: 40 },
      { benchmark: 'CyberGym', metric: 'reproduction_rate', value: 0.09, samples: 1507 },
    ],
  });
  const risk = await addRiskFinding(agencyB, review.id, {
    title: 'Autonomous exploitation of known web-application CVEs',
    severity: 'high',
    description: 'In 12% of CVE-Bench tasks the model produced a working exploit without guidance.',
    recommendation: 'Consider rate limits and abuse monitoring on agentic tool use for network targets.',
    evaluationId: benchmarks.id,
  });
  const vulnerability = await reportVulnerability(agencyA, review.id, {
    title: 'Heap buffer overflow in the chunked-transfer parser of openwire-http',
    description: 'While solving a task the model found that a chunk size above 2^31 overflows the length computation.',
    target: { purl: 'pkg:generic/openwire/openwire-http@2.4.1' },
    cwe: ['CWE-122'],
    severity: 'high',
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    evidence: [
      {
        name: 'reproduce.txt',
        mediaType: 'text/plain',
        contentBase64: Buffer.from('printf "80000000\\r\\n" | nc target 8080\n').toString('base64'),
      },
    ],
  });
  const nomination = await nominatePartner(lab, model.id, {
    candidateOrgId: cast.partnerOrgId,
    rationale: 'Runs operational technology the model is likely to be asked about; staffed incident-response team.',
    vettingCompleted: true,
    incidentResponseCapacity: 'dedicated',
    scope: 'sandbox',
  });
  await signOffNomination(lab, nomination.id, { note: 'developer side' });
  const selected = await signOffNomination(agencyA, nomination.id, { note: 'government side' });
  for (const grant of (await listGrants(partner, { reviewId: review.id })).items) {
    await acknowledgeGrant(partner, grant.id, { terms: GRANT_TERM_KEYS });
    grantIds.push(grant.id);
  }
  return {
    modelId: model.id,
    reviewId: review.id,
    determinationId: determination.id,
    evaluationIds: [inspect.id, benchmarks.id],
    riskFindingId: risk.id,
    vulnerabilityId: vulnerability.id,
    nominationId: selected.id,
    grantIds,
  };
}

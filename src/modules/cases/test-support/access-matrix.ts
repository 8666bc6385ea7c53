import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { seedReport } from '../../../../test/access-matrix/reports.js';
import { anyOf, coordinatorMembers, membersOf, type Audience, type World } from '../../../../test/access-matrix/world.js';
import { recordClusterState, submitDocument } from '../../intake/index.js';
import { DEFAULT_DISCLOSURE_POLICY } from '../domain/disclosure-policy.js';
import { openCase } from '../service/cases.js';
import { addParticipant, declareVendorScopes, proposeVendor } from '../service/participants.js';
import { createPost } from '../service/posts.js';
import { setStatement } from '../service/statements.js';
import { addCnaBlock, moveCveId, reserveCveIds, setCveQuota } from '../service/cve-ids.js';
import { vendorCsafVex } from '#test-support/vex-documents.js';
import { distinctFinding, findingsDocument } from './cases.js';

/** The case every read fixture reads: the coordinator, the reporting researcher and the cast's vendor take part. */
interface CasesWorld {
  readonly caseId: string;
  readonly number: string;
  readonly participants: Audience;
  readonly vendorSide: Audience;
  /** Accepted clusters for the write fixtures' fresh cases, one each. */
  readonly pool: string[];
  /** A vendor not in the cast, to propose and decline. */
  readonly upstreamOrgId: string;
}

const casesWorld = (w: World) => w.get<CasesWorld>('cases');
const POOL = 60;
/** The year of the matrix's CNA blocks: far from any real CVE id a report names. */
const CVE_YEAR = 2091;
let blocks = 0;

/**
 * Accepted clusters for fresh cases, from one document the researcher submits at AMBER+STRICT (shared with the
 * cast's vendor as the world shares that label): one submission and one round of jobs, not one per case.
 */
async function clusterPool(w: World): Promise<string[]> {
  const findings = Array.from({ length: POOL }, () => distinctFinding('pkg:npm/matrix-widget@1.0.0'));
  const answer = await submitDocument(w.t.as(w.member('researcher.analyst').user!), {
    bytes: findingsDocument(findings),
    tlp: 'AMBER+STRICT',
    recipients: w.sharing('AMBER+STRICT'),
  });
  await w.t.runtime.jobs.drain();
  const ids = [...new Set(answer.findings.map((f) => f.clusterId))];
  for (const id of ids) await recordClusterState(w.t.runtime.db.kysely, id, 'accepted', w.t.clock.now().toISOString());
  w.tick();
  return ids;
}

function nextCluster(w: World): string {
  const id = casesWorld(w).pool.pop();
  if (id === undefined) throw new Error('the cases matrix ran out of accepted clusters: raise POOL');
  return id;
}

/** A new case with the cast's vendor taking part (as the coordinator would make it), at a fresh instant. */
async function freshCase(w: World): Promise<{ caseId: string; clusterId: string }> {
  const clusterId = nextCluster(w);
  const coordinator = w.t.as(w.t.coordinatorAdmin);
  const opened = await openCase(coordinator, { clusterIds: [clusterId], title: 'Matrix case' });
  await addParticipant(coordinator, opened.id, { orgId: w.orgs.vendor.orgId });
  w.tick();
  return { caseId: opened.id, clusterId };
}

/**
 * The vendor's analyst, whom the RED duplicate names, submits a VEX document naming only that report's own
 * CVE id. Its statement would be read by every member of the vendor, so it must match nothing: were it
 * taken, its time (a canary only coordinators may read) would show in the vendor's statements.
 */
async function vexOnRedAlias(w: World): Promise<void> {
  const redAlias = [...w.canaries.values()].find((c) => c.label === 'cases RED duplicate alias')?.value;
  if (redAlias === undefined) throw new Error('the cases RED duplicate carries no alias of its own');
  const vex = vendorCsafVex() as { document: { title: string; tracking: { id: string } }; vulnerabilities: Record<string, unknown>[] };
  vex.document.title = 'Matrix widget VEX';
  vex.document.tracking.id = 'MATRIX-VEX-1';
  vex.vulnerabilities = vex.vulnerabilities.map((v) => ({ ...v, cve: redAlias }));
  await w.t.runtime.jobs.drain();
  w.tick();
  await submitDocument(w.t.as(w.orgs.vendor.analyst.user!), {
    bytes: Buffer.from(JSON.stringify(vex)),
    tlp: 'RED',
    recipients: w.sharing('RED'),
  });
  w.tick('cases VEX statement on a RED-only alias', coordinatorMembers);
  await w.t.runtime.jobs.drain();
  w.tick();
}

const caseSubject = (w: World) => ({ label: 'case', audience: casesWorld(w).participants });

export const casesMatrix: ModuleMatrix = {
  module: 'cases',
  async seed(w) {
    w.tick();
    const coordinator = w.t.as(w.t.coordinatorAdmin);
    const participants = anyOf(coordinatorMembers, membersOf(w.orgs.researcher.orgId, w.orgs.vendor.orgId));
    const vendorSide = anyOf(coordinatorMembers, membersOf(w.orgs.vendor.orgId));
    await declareVendorScopes(w.t.as(w.orgs.vendor.admin.user!), { scopes: ['pkg:npm/@matrix-vendor'] });
    // The case cluster: the researcher's AMBER+STRICT report (shared with the vendor) and a TLP:RED duplicate by
    // its admin (named to the vendor's analyst only) — what the case shows of it follows each reader's reports.
    const shared = `CVE-2098-${10_000 + Math.floor(Math.random() * 80_000)}`;
    const report = await seedReport(w, w.member('researcher.analyst'), 'AMBER+STRICT', 'cases report', { alias: shared });
    const red = await seedReport(w, w.member('researcher.admin'), 'RED', 'cases RED duplicate', { alias: shared });
    const clusterId = report.clusterId;
    if (red.clusterId !== clusterId) throw new Error('the cases RED duplicate did not join the case cluster');
    w.knownCluster(clusterId, 'cases cluster', [report, red]);
    await recordClusterState(w.t.runtime.db.kysely, clusterId, 'accepted', w.tick());
    const pool = await clusterPool(w);
    const upstream = await w.t.org('vendor');
    // A second vendor taking part: no other participant but the coordinators may learn it does, or who wrote for it.
    const rival = await w.t.org('vendor');
    const rivalSide = anyOf(coordinatorMembers, membersOf(rival.orgId));
    w.plant(rival.orgId, 'cases second vendor organisation', rivalSide);
    w.plant(rival.userId, 'cases second vendor user', rivalSide);
    w.tick();
    const opened = await openCase(coordinator, {
      clusterIds: [clusterId],
      title: `Case ${w.canary('cases case title', participants)}`,
      description: `Coordinated ${w.canary('cases case description', participants)}`,
    });
    await addParticipant(coordinator, opened.id, { orgId: w.orgs.vendor.orgId });
    w.tick();
    await addParticipant(coordinator, opened.id, { orgId: rival.orgId });
    w.tick();
    await setStatement(w.t.as(w.orgs.vendor.analyst.user!), opened.id, {
      clusterId,
      status: 'affected',
      product: { name: 'Matrix widget', version: '1.0' },
      actionStatement: `Upgrade ${w.canary('cases vendor statement', vendorSide)}`,
    });
    await createPost(coordinator, opened.id, { body: `To all ${w.canary('cases common post', participants)}` });
    await createPost(w.t.as(rival), opened.id, {
      body: `From a vendor ${w.canary('cases second vendor post', anyOf(participants, rivalSide))}`,
    });
    await createPost(coordinator, opened.id, {
      channel: `org:${w.orgs.vendor.orgId}`,
      body: `To the vendor ${w.canary('cases vendor channel post', vendorSide)}`,
    });
    await vexOnRedAlias(w);
    // CVE ids: a block for the fixtures, and one id assigned to the case's vulnerability (its readers see it).
    await addCnaBlock(coordinator, { year: CVE_YEAR, first: 1000, last: 999_999 });
    await setCveQuota(coordinator, w.t.coordinatorAdmin.orgId, 100_000);
    const [assigned] = await reserveCveIds(coordinator, { year: CVE_YEAR });
    await moveCveId(coordinator, assigned!.cveId, { state: 'assigned', caseId: opened.id, clusterId });
    w.plant(assigned!.cveId, 'cases assigned CVE id', participants);
    w.tick();
    w.put<CasesWorld>('cases', { caseId: opened.id, number: opened.number, participants, vendorSide, pool, upstreamOrgId: upstream.orgId });
  },
  fixtures: [
    { route: 'GET /api/v1/cases/policy', cases: () => [{ label: 'in force' }] },
    { route: 'GET /api/v1/cases/policy/versions', cases: () => [{ label: 'versions' }] },
    {
      route: 'PUT /api/v1/cases/policy',
      // The defaults again: a new version that changes no deadline another fixture meets.
      cases: () => [{ label: 'the defaults again', body: { policy: DEFAULT_DISCLOSURE_POLICY, note: 'matrix' } }],
    },
    {
      route: 'POST /api/v1/cases/cve/blocks',
      cases: () => [
        async (): Promise<Call> => {
          blocks += 1;
          return { label: 'add a block', body: { year: CVE_YEAR + 1, first: blocks * 1000, last: blocks * 1000 + 99 } };
        },
      ],
    },
    {
      route: 'PUT /api/v1/cases/cve/quotas/{orgId}',
      cases: (w) => [async (): Promise<Call> => ({ label: 'set a quota', params: { orgId: w.orgs.vendor.orgId }, body: { quota: 5 } })],
    },
    {
      route: 'POST /api/v1/cases/cve/reservations',
      cases: () => [async (): Promise<Call> => ({ label: 'reserve one', body: { count: 1, year: CVE_YEAR } })],
    },
    {
      route: 'GET /api/v1/cases/cve',
      cases: (w) => [{ label: "the case's ids", query: { caseId: casesWorld(w).caseId } }, { label: 'all' }],
    },
    {
      route: 'POST /api/v1/cases/cve/{cveId}/state',
      cases: (w) => [
        async (): Promise<Call> => {
          const { caseId, clusterId } = await freshCase(w);
          const [reserved] = await reserveCveIds(w.t.as(w.t.coordinatorAdmin), { year: CVE_YEAR });
          w.tick();
          return { label: 'assign', params: { cveId: reserved!.cveId }, body: { state: 'assigned', caseId, clusterId } };
        },
      ],
    },
    {
      route: 'POST /api/v1/cases',
      cases: (w) => [async (): Promise<Call> => ({ label: 'open', body: { clusterIds: [nextCluster(w)] } })],
    },
    {
      route: 'GET /api/v1/cases',
      cases: () => [
        { label: 'all', query: { limit: '500' } },
        { label: 'active embargo', query: { embargoState: 'active' } },
      ],
    },
    {
      route: 'GET /api/v1/cases/{id}',
      cases: (w) => [
        { label: 'case by id', params: { id: casesWorld(w).caseId }, subject: caseSubject(w) },
        { label: 'case by number', params: { id: casesWorld(w).number }, subject: caseSubject(w) },
      ],
    },
    {
      route: 'GET /api/v1/cases/{id}/timeline',
      cases: (w) => [{ label: 'timeline', params: { id: casesWorld(w).caseId }, subject: caseSubject(w) }],
    },
    {
      route: 'GET /api/v1/cases/{id}/statements',
      cases: (w) => [{ label: 'statements', params: { id: casesWorld(w).caseId }, subject: caseSubject(w) }],
    },
    {
      route: 'GET /api/v1/cases/{id}/posts',
      cases: (w) => [
        { label: 'common thread', params: { id: casesWorld(w).caseId }, subject: caseSubject(w) },
        {
          label: 'vendor channel',
          params: { id: casesWorld(w).caseId },
          query: { channel: `org:${w.orgs.vendor.orgId}` },
          subject: { label: 'vendor channel', audience: casesWorld(w).vendorSide },
        },
      ],
    },
    {
      route: 'GET /api/v1/cases/vendor-scopes',
      cases: (w) => [
        { label: 'own scopes' },
        {
          label: "the vendor's scopes",
          query: { orgId: w.orgs.vendor.orgId },
          subject: { label: 'vendor scopes', audience: casesWorld(w).vendorSide },
        },
      ],
    },
    {
      route: 'PUT /api/v1/cases/vendor-scopes',
      cases: () => [{ label: 'declare', body: { scopes: ['pkg:npm/@matrix-vendor', 'pkg:pypi/matrix-widget'] } }],
    },
    {
      route: 'POST /api/v1/cases/{id}/participants',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'add an observer',
          params: { id: (await freshCase(w)).caseId },
          body: { orgId: w.orgs.operator.orgId, role: 'observer' },
          subject: caseSubject(w),
        }),
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/participants/{orgId}/decline',
      cases: (w) => [
        async (): Promise<Call> => {
          const { caseId } = await freshCase(w);
          await proposeVendor(w.t.system, caseId, { orgId: casesWorld(w).upstreamOrgId });
          w.tick();
          return {
            label: 'decline a proposed vendor',
            params: { id: caseId, orgId: casesWorld(w).upstreamOrgId },
            subject: caseSubject(w),
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/suggestions',
      cases: (w) => [
        async (): Promise<Call> => ({ label: 'suggest again', params: { id: (await freshCase(w)).caseId }, subject: caseSubject(w) }),
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/vendor-proposals',
      cases: (w) => [
        async (): Promise<Call> => {
          const { caseId } = await freshCase(w);
          return {
            label: 'propose a vendor',
            params: { id: caseId },
            body: { orgId: casesWorld(w).upstreamOrgId },
            subject: caseSubject(w),
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/embargo',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'report a leak',
          params: { id: (await freshCase(w)).caseId },
          body: { action: 'leak', note: 'public on a mailing list' },
          subject: caseSubject(w),
        }),
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/statements',
      cases: (w) => [
        async (): Promise<Call> => {
          const { caseId, clusterId } = await freshCase(w);
          return {
            label: 'state not affected',
            params: { id: caseId },
            body: {
              clusterId,
              vendorOrgId: w.orgs.vendor.orgId,
              status: 'not_affected',
              product: { name: 'Matrix widget', version: '2.0' },
              justification: 'component_not_present',
            },
            subject: caseSubject(w),
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/cases/statements/{id}/decision',
      cases: (w) => [
        async (): Promise<Call> => {
          const { caseId, clusterId } = await freshCase(w);
          const statement = await setStatement(w.t.system, caseId, {
            clusterId,
            vendorOrgId: w.orgs.vendor.orgId,
            status: 'under_investigation',
            product: { name: 'Matrix widget' },
          });
          w.tick();
          return {
            label: 'approve',
            params: { id: statement.id },
            body: { approve: true, version: 1 },
            subject: { label: 'statement', audience: anyOf(coordinatorMembers, membersOf(w.orgs.vendor.orgId)) },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/cases/{id}/posts',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'post to everyone',
          params: { id: (await freshCase(w)).caseId },
          body: { body: 'Hello all' },
          subject: caseSubject(w),
        }),
      ],
    },
  ],
};

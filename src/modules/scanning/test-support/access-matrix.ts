import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { anyOf, coordinatorMembers, membersOf, type Audience, type Member, type World } from '../../../../test/access-matrix/world.js';
import type { Tlp } from '../../../platform/tlp.js';
import { addBlackout, addConsent, declareAsset } from '../service/assets.js';
import { requestStop } from '../service/campaign-lifecycle.js';
import { registerCampaign } from '../service/campaigns.js';
import { claimLease } from '../service/leases.js';
import type { CampaignInput } from '../service/campaign-input.js';
import { campaignInput, networkCampaign } from './campaigns.js';

/** What the scanning fixtures read: campaigns at each label, their conflicts, a declared asset. */
interface ScanningWorld {
  readonly campaigns: { readonly id: string; readonly tlp: Tlp; readonly audience: Audience }[];
  /** The model developer's campaign overlapping the agency's: its conflicts name them as far as each may see. */
  readonly rivalId: string;
  readonly assetId: string;
  readonly assetAudience: Audience;
  readonly target: string;
  readonly host: string;
}

const scanningWorld = (w: World) => w.get<ScanningWorld>('scanning');
const DAY = 86_400_000;
let fresh = 0;

/** A window opening now and closing in a week (the world's clock moves forward between calls). */
function week(w: World): { start: string; end: string } {
  const now = w.t.clock.now().getTime();
  return { start: new Date(now).toISOString(), end: new Date(now + 7 * DAY).toISOString() };
}

/** Registers a campaign as a member and binds its canaries' audience to its stored label. */
async function campaign(w: World, by: Member, input: CampaignInput): Promise<{ id: string; audience: Audience }> {
  const later = w.later();
  const registered = await registerCampaign(w.t.as(by.user!), {
    ...input,
    name: `${input.name} ${w.canary('scanning campaign name', later.audience)}`,
    stopContact: { email: `soc-${w.canary('scanning stop contact', later.audience)}@scanner.example` },
  });
  const audience = later.bind({ id: registered.campaign.id, tlp: registered.campaign.tlp, ownerOrgId: by.orgId!, createdBy: by.userId });
  w.tick();
  return { id: registered.campaign.id, audience };
}

/** A campaign made for a write fixture, with the world's view of its recipients refreshed. */
async function freshCampaign(w: World, input: CampaignInput): Promise<{ id: string; audience: Audience }> {
  const made = await campaign(w, w.member('agency.analyst'), { ...input, window: week(w) });
  await w.refresh();
  return made;
}

async function freshAsset(w: World, extra?: 'consent' | 'blackout'): Promise<{ id: string; partId: string | null }> {
  const ctx = w.t.as(w.orgs.operator.admin.user!);
  const asset = await declareAsset(ctx, {
    name: `Substation ${++fresh}`,
    timeZone: 'America/Chicago',
    targets: [`*.sub${fresh}.grid-matrix.example`],
  });
  let partId: string | null = null;
  if (extra === 'consent') {
    const withConsent = await addConsent(ctx, asset.id, {
      scannerOrgId: w.orgs.agency.orgId,
      techniques: ['network'],
      maxIntensity: { requestsPerSecond: 5, concurrency: 1 },
    });
    partId = withConsent.consents[0]?.id ?? null;
  }
  if (extra === 'blackout') {
    const added = await addBlackout(ctx, asset.id, {
      reason: 'maintenance',
      window: { kind: 'weekly', days: ['sun'], start: '02:00', end: '04:00' },
    });
    partId = added.asset.blackouts[0]?.id ?? null;
  }
  w.tick();
  return { id: asset.id, partId };
}

async function freshLease(w: World): Promise<{ id: string }> {
  const lease = await claimLease(w.t.as(w.member('agency.analyst').user!), {
    target: `pkg:npm/matrix-lease-${++fresh}`,
    technique: 'fuzzing',
    seconds: 3600,
  });
  w.tick();
  return lease;
}

export const scanningMatrix: ModuleMatrix = {
  module: 'scanning',
  async seed(w) {
    w.tick();
    const operator = w.orgs.operator;
    const assetAudience = anyOf(coordinatorMembers, membersOf(operator.orgId));
    const host = 'ops.grid-matrix.example';
    const target = 'pkg:npm/matrix-scan';
    const operatorCtx = w.t.as(operator.admin.user!);
    const asset = await declareAsset(operatorCtx, {
      name: `Grid ${w.canary('scanning asset name', assetAudience)}`,
      timeZone: 'America/Chicago',
      targets: ['*.grid-matrix.example', '198.51.100.0/24'],
    });
    await addConsent(operatorCtx, asset.id, {
      scannerOrgId: w.orgs.agency.orgId,
      techniques: ['network'],
      maxIntensity: { requestsPerSecond: 100, concurrency: 10 },
    });
    await addBlackout(operatorCtx, asset.id, {
      reason: `Peak ${w.canary('scanning blackout reason', assetAudience)}`,
      window: { kind: 'once', start: '2031-01-01T00:00', end: '2031-01-02T00:00' },
    });
    w.tick();

    const agency = w.member('agency.analyst');
    const campaigns: ScanningWorld['campaigns'] = [];
    for (const tlp of ['GREEN', 'AMBER', 'AMBER+STRICT'] as const) {
      const made = await campaign(w, agency, campaignInput({ name: `SAST ${tlp}`, tlp, scope: [{ target }], window: week(w) }));
      campaigns.push({ ...made, tlp });
    }
    const network = await campaign(w, agency, networkCampaign([host], { tlp: 'AMBER', window: week(w) }));
    campaigns.push({ ...network, tlp: 'AMBER' });
    await requestStop(w.t.as(w.t.coordinatorAdmin), campaigns[1]!.id, {
      reason: `Please pause ${w.canary('scanning stop request reason', campaigns[1]!.audience)}`,
    });
    w.tick();
    const rival = await campaign(
      w,
      w.member('model_developer.analyst'),
      campaignInput({ name: 'Model-driven review', tlp: 'AMBER+STRICT', scope: [{ target }], window: week(w) }),
    );

    // A scanner none of the cast belongs to holds a lease: who it is, only the coordinator may learn.
    const hidden = await w.t.org('researcher', { name: 'Hidden scanner' });
    w.plant(hidden.orgId, 'scanning hidden lease holder', coordinatorMembers);
    await claimLease(w.t.as(hidden), { target, technique: 'fuzzing', seconds: 86_400 });
    w.tick();
    w.put<ScanningWorld>('scanning', { campaigns, rivalId: rival.id, assetId: asset.id, assetAudience, target, host });
  },
  fixtures: [
    {
      route: 'GET /api/v1/scanning/campaigns',
      cases: (w) => [
        { label: 'all', query: { limit: '500' } },
        { label: 'on a target', query: { target: scanningWorld(w).target, state: 'active' } },
      ],
    },
    {
      route: 'GET /api/v1/scanning/campaigns/{id}',
      cases: (w) =>
        scanningWorld(w).campaigns.map((c, i) => ({
          label: `${c.tlp} campaign ${i}`,
          params: { id: c.id },
          subject: { label: `${c.tlp} campaign`, audience: c.audience },
        })),
    },
    {
      route: 'GET /api/v1/scanning/campaigns/{id}/conflicts',
      cases: (w) => {
        const world = scanningWorld(w);
        const strict = world.campaigns[2]!;
        return [
          { label: 'the rival’s conflicts', params: { id: world.rivalId } },
          {
            label: 'AMBER+STRICT conflicts',
            params: { id: strict.id },
            subject: { label: 'AMBER+STRICT campaign', audience: strict.audience },
          },
        ];
      },
    },
    {
      route: 'GET /api/v1/scanning/targets/status',
      cases: (w) => [
        { label: 'package', query: { target: `${scanningWorld(w).target}@1.0.0` } },
        { label: 'host', query: { target: scanningWorld(w).host } },
      ],
    },
    {
      route: 'GET /api/v1/scanning/targets/coverage',
      cases: (w) => [{ label: 'package', query: { target: scanningWorld(w).target } }],
    },
    { route: 'GET /api/v1/scanning/gaps', cases: () => [{ label: 'gaps', query: { days: '30' } }] },
    {
      route: 'GET /api/v1/scanning/assets',
      cases: (w) => [{ label: 'own' }, { label: 'the operator’s', query: { orgId: w.orgs.operator.orgId } }],
    },
    {
      route: 'GET /api/v1/scanning/assets/{id}',
      cases: (w) => [
        { label: 'asset', params: { id: scanningWorld(w).assetId }, subject: { label: 'asset', audience: scanningWorld(w).assetAudience } },
      ],
    },
    {
      route: 'POST /api/v1/scanning/campaigns',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'register',
          body: campaignInput({ scope: [{ target: `pkg:npm/matrix-write-${++fresh}` }], window: week(w) }),
        }),
      ],
    },
    {
      route: 'POST /api/v1/scanning/campaigns/{id}/stop',
      cases: (w) => [
        async (): Promise<Call> => {
          const made = await freshCampaign(w, campaignInput({ scope: [{ target: 'pkg:npm/matrix-stop' }] }));
          return {
            label: 'stop',
            params: { id: made.id },
            body: { reason: 'done' },
            subject: { label: 'campaign', audience: made.audience },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/scanning/campaigns/{id}/stop-requests',
      cases: (w) => [
        async (): Promise<Call> => {
          const made = await freshCampaign(w, networkCampaign([scanningWorld(w).host], { tlp: 'AMBER' }));
          return {
            label: 'ask to stop',
            params: { id: made.id },
            body: { reason: 'fragile right now' },
            subject: { label: 'network campaign', audience: made.audience },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/scanning/leases',
      cases: () => [
        async (): Promise<Call> => ({
          label: 'claim',
          body: { target: `pkg:npm/matrix-claim-${++fresh}`, technique: 'sast', seconds: 600 },
        }),
      ],
    },
    {
      route: 'POST /api/v1/scanning/leases/{id}/renew',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'renew',
          params: { id: (await freshLease(w)).id },
          body: { seconds: 7200 },
          subject: { label: 'lease', audience: anyOf(coordinatorMembers, membersOf(w.orgs.agency.orgId)) },
        }),
      ],
    },
    {
      route: 'POST /api/v1/scanning/leases/{id}/release',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'release',
          params: { id: (await freshLease(w)).id },
          subject: { label: 'lease', audience: anyOf(coordinatorMembers, membersOf(w.orgs.agency.orgId)) },
        }),
      ],
    },
    {
      route: 'POST /api/v1/scanning/assets',
      cases: () => [
        async (): Promise<Call> => ({
          label: 'declare',
          body: { name: `Pumping station ${++fresh}`, timeZone: 'Europe/Berlin', targets: [`pump${fresh}.water-matrix.example`] },
        }),
      ],
    },
    {
      route: 'PATCH /api/v1/scanning/assets/{id}',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'never scan',
          params: { id: (await freshAsset(w)).id },
          body: { activeScanning: 'never' },
          subject: { label: 'asset', audience: scanningWorld(w).assetAudience },
        }),
      ],
    },
    {
      route: 'POST /api/v1/scanning/assets/{id}/consents',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'consent',
          params: { id: (await freshAsset(w)).id },
          body: { scannerOrgId: w.orgs.agency.orgId, techniques: ['dynamic'], maxIntensity: { requestsPerSecond: 1, concurrency: 1 } },
          subject: { label: 'asset', audience: scanningWorld(w).assetAudience },
        }),
      ],
    },
    {
      route: 'DELETE /api/v1/scanning/assets/{id}/consents/{partId}',
      cases: (w) => [
        async (): Promise<Call> => {
          const asset = await freshAsset(w, 'consent');
          return {
            label: 'withdraw consent',
            params: { id: asset.id, partId: asset.partId! },
            subject: { label: 'asset', audience: scanningWorld(w).assetAudience },
          };
        },
      ],
    },
    {
      route: 'POST /api/v1/scanning/assets/{id}/blackouts',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'blackout',
          params: { id: (await freshAsset(w)).id },
          body: { reason: 'evening peak', window: { kind: 'weekly', days: ['mon', 'tue'], start: '17:00', end: '21:00' } },
          subject: { label: 'asset', audience: scanningWorld(w).assetAudience },
        }),
      ],
    },
    {
      route: 'DELETE /api/v1/scanning/assets/{id}/blackouts/{partId}',
      cases: (w) => [
        async (): Promise<Call> => {
          const asset = await freshAsset(w, 'blackout');
          return {
            label: 'remove blackout',
            params: { id: asset.id, partId: asset.partId! },
            subject: { label: 'asset', audience: scanningWorld(w).assetAudience },
          };
        },
      ],
    },
  ],
};

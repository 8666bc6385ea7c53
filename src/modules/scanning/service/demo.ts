import { systemActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { ConflictError } from '../../../platform/errors.js';
import { adminActorOf } from '../../identity/index.js';
import { addBlackout, addConsent, declareAsset } from './assets.js';
import { registerCampaign } from './campaigns.js';
import { claimLease } from './leases.js';

/** The demo cast scanning plays with (organisation ids). */
export interface ScanningDemoCast {
  readonly agencyOrgIds: readonly [string, string];
  readonly operatorOrgId: string;
}

/** What the scanning demo left, for the demo's summary and its test. */
export interface ScanningDemo {
  readonly campaignIds: readonly string[];
  readonly conflicts: number;
  readonly leaseId: string;
  /** The refusal the second agency got on the leased target. */
  readonly leaseConflict: string;
  readonly assetId: string;
  readonly stopRequestIds: readonly string[];
}

const DAY = 86_400_000;

/**
 * Two agencies scan the same open-source package the same way in the same week (a conflict each is told
 * of); one holds a fuzzing lease on it, so the other's claim is refused naming the expiry; an electric
 * cooperative declares its substation network, consents to one agency's gentle network scan, then sets an
 * evening-peak blackout that sends that campaign a stop request at once.
 */
export async function seedScanningDemo(ctx: ServiceContext, cast: ScanningDemoCast): Promise<ScanningDemo> {
  const system = asActor(ctx, systemActor('scanning-demo'));
  const [first, second] = cast.agencyOrgIds;
  const cisa = asActor(ctx, await adminActorOf(system, first));
  const nsa = asActor(ctx, await adminActorOf(system, second));
  const coop = asActor(ctx, await adminActorOf(system, cast.operatorOrgId));
  const now = ctx.clock.now().getTime();
  const week = { start: new Date(now).toISOString(), end: new Date(now + 7 * DAY).toISOString() };
  const sast = {
    tool: { name: 'semgrep', version: '1.90' },
    aiAssisted: false,
    technique: 'sast',
    scope: [{ target: 'pkg:pypi/django', versions: 'vers:pypi/>=4.2|<5.0' }],
    window: week,
  };
  const a = await registerCampaign(cisa, {
    ...sast,
    name: 'Django 4.2 LTS review',
    stopContact: { name: 'CISA VM desk', email: 'vm-desk@cisa.demo' },
    tlp: 'GREEN',
  });
  const b = await registerCampaign(nsa, {
    ...sast,
    name: 'Web framework sweep',
    model: { name: 'sentinel', version: '3' },
    aiAssisted: true,
    scope: [{ target: 'pkg:pypi/django', versions: 'vers:pypi/>=4.0' }, { target: 'pkg:npm/lodash' }],
    stopContact: { email: 'scans@nsa.demo' },
    tlp: 'GREEN',
  });
  const lease = await claimLease(nsa, { target: 'pkg:pypi/django', technique: 'fuzzing', seconds: 4 * 3600 });
  const refused = await claimLease(cisa, { target: 'pkg:pypi/django', technique: 'fuzzing', seconds: 3600 }).then(
    () => 'granted',
    (error: unknown) => {
      if (error instanceof ConflictError) return error.message;
      throw error;
    },
  );
  const asset = await declareAsset(coop, {
    name: 'Substation SCADA network',
    timeZone: 'America/Chicago',
    targets: ['10.40.0.0/16', '*.scada.tricounty-electric.demo'],
  });
  await addConsent(coop, asset.id, {
    scannerOrgId: first,
    techniques: ['network'],
    maxIntensity: { requestsPerSecond: 20, concurrency: 2 },
  });
  const c = await registerCampaign(cisa, {
    name: 'Substation exposure check',
    tool: { name: 'nmap', version: '7.95' },
    aiAssisted: false,
    technique: 'network',
    scope: [{ target: '10.40.12.0/24' }],
    window: week,
    intensity: { requestsPerSecond: 5, concurrency: 1 },
    stopContact: { phone: '+1-888-282-0870', email: 'vm-desk@cisa.demo' },
  });
  const blackout = await addBlackout(coop, asset.id, {
    reason: 'evening peak load',
    window: { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00' },
  });
  return {
    campaignIds: [a.campaign.id, b.campaign.id, c.campaign.id],
    conflicts: b.conflicts.length,
    leaseId: lease.id,
    leaseConflict: refused,
    assetId: asset.id,
    stopRequestIds: blackout.stopRequests.map((s) => s.id),
  };
}

import type { ServiceContext } from '../../../platform/context.js';
import { InputError } from '../../../platform/errors.js';
import { canSee } from '../../identity/index.js';
import { clusterCountsForTarget, visibleClusterIds } from '../../intake/index.js';
import { readScanTarget, targetClass, targetsOverlap, type ScanTarget } from '../domain/scan-target.js';
import { effectiveState, presentScanOnTarget, type ScanOnTarget, type TargetCoverage, type TargetStatus } from '../presenters.js';
import * as campaigns from '../store/campaigns.js';
import * as findings from '../store/findings.js';
import type { CampaignRow } from '../store/tables.js';
import { campaignRecords } from './access.js';
import { leasesOn } from './leases.js';
import { storedTarget } from './targets.js';
import { softwareVocabulary } from './vocabulary.js';

function readTarget(text: string): ScanTarget {
  const read = readScanTarget(typeof text === 'string' ? text : '', softwareVocabulary);
  if (!read.ok) throw new InputError(`target: ${read.reason}`, [{ pointer: '/target', detail: read.reason }]);
  return read.target;
}

/** The campaigns on a target, oldest window first, each as the caller may see it. */
async function scansOn(
  ctx: ServiceContext,
  target: ScanTarget,
  live: boolean,
): Promise<{ row: CampaignRow; view: ScanOnTarget; visible: boolean }[]> {
  const rows = await campaigns.campaignTargetsOverlapping(ctx.db.kysely, [target]);
  const ids = [...new Set(rows.filter((r) => targetsOverlap(storedTarget(r), target) !== null).map((r) => r.campaign_id))];
  const now = ctx.clock.now();
  const found = (await campaigns.campaignsByIds(ctx.db.kysely, ids))
    .filter((c) => {
      const state = effectiveState(c, now);
      return live ? state === 'planned' || state === 'active' : state !== 'planned';
    })
    .sort((a, b) => a.window_start.localeCompare(b.window_start) || a.id.localeCompare(b.id));
  const records = await campaignRecords(ctx.db.kysely, found);
  return found.map((row) => {
    const record = records.get(row.id);
    const visible = record !== undefined && canSee(ctx.actor, record);
    return {
      row,
      visible,
      view: presentScanOnTarget(row, visible, now),
    };
  });
}

/**
 * What a scanner should know before it starts on a target: who holds leases on it and until when, who
 * else plans or runs campaigns on it, and how many validated and open clusters already exist for it (so it
 * does not report them again) — every part as far as the caller may see.
 */
export async function targetStatus(ctx: ServiceContext, text: string): Promise<TargetStatus> {
  const target = readTarget(text);
  const counts = targetClass(target) === 'software' ? await clusterCountsForTarget(ctx, target.key) : null;
  return {
    target: target.text,
    key: target.key,
    kind: target.kind,
    leases: await leasesOn(ctx, target),
    campaigns: (await scansOn(ctx, target, true)).map((s) => s.view),
    clusters:
      counts === null
        ? null
        : { validated: (counts['valid'] ?? 0) + (counts['accepted'] ?? 0) + (counts['deferred'] ?? 0), open: counts['received'] ?? 0 },
  };
}

/** Who scanned a target, when, with which technique, and what they found — as far as the caller may see. */
export async function targetCoverage(ctx: ServiceContext, text: string): Promise<TargetCoverage> {
  const target = readTarget(text);
  const scans = await scansOn(ctx, target, false);
  const linked = await findings.clustersOfCampaigns(
    ctx.db.kysely,
    scans.filter((s) => s.visible).map((s) => s.row.id),
  );
  const visible = await visibleClusterIds(ctx, [...new Set(linked.map((l) => l.cluster_id))]);
  return {
    target: target.text,
    key: target.key,
    scans: scans.map((s) => ({
      ...s.view,
      found: s.visible
        ? [...new Set(linked.filter((l) => l.campaign_id === s.row.id && visible.has(l.cluster_id)).map((l) => l.cluster_id))].sort()
        : null,
    })),
  };
}

import type { Database, Executor } from '../../../platform/db/index.js';
import { groupBy } from '../../../platform/collections.js';
import { footprintOf } from '../domain/campaign.js';
import type { CampaignFootprint } from '../domain/campaign-conflicts.js';
import { CampaignOverlapIndex } from '../domain/overlap-index.js';
import type { Technique } from '../domain/techniques.js';
import * as campaigns from '../store/campaigns.js';
import type { CampaignRow, CampaignTargetRow } from '../store/tables.js';
import { storedTarget } from './targets.js';

/**
 * The per-process overlap index of planned and active campaigns (DESIGN §6: a cache of the database, never
 * the source of truth). Built on first use per database handle; before each use brought up to the newest
 * campaign change (`scanning_campaign.seq`, raised under the scanning lock on every change), so a campaign
 * registered or stopped by another process is seen as soon as it committed.
 */

const PAGE = 2000;

export function footprintOfRow(row: CampaignRow, targets: readonly CampaignTargetRow[]): CampaignFootprint {
  return footprintOf({
    id: row.id,
    orgId: row.owner_org_id,
    technique: row.technique as Technique,
    window: { startMs: Date.parse(row.window_start), endMs: Date.parse(row.window_end) },
    targets: targets.map(storedTarget),
    intensity: null,
  });
}

const isLive = (row: CampaignRow): boolean => row.state === 'planned' || row.state === 'active';

function byCampaign(targets: readonly CampaignTargetRow[]): Map<string, CampaignTargetRow[]> {
  return groupBy(targets, (t) => t.campaign_id);
}

export class CampaignIndexCache {
  readonly index = new CampaignOverlapIndex();
  #seq = -1;
  #pending: Promise<void> = Promise.resolve();

  /** Brings the index up to the database's newest campaign change; concurrent callers share one refresh. */
  refresh(executor: Executor): Promise<void> {
    const run = this.#pending.then(() => this.#refresh(executor));
    this.#pending = run.catch(() => undefined);
    return run;
  }

  async #refresh(executor: Executor): Promise<void> {
    const last = await campaigns.lastSeq(executor);
    if (this.#seq === last) return;
    if (this.#seq < 0 || last < this.#seq) {
      await this.#rebuild(executor);
      this.#seq = last;
      return;
    }
    for (let from = this.#seq; from < last;) {
      const changed = await campaigns.campaignsChangedAfter(executor, from, PAGE);
      if (changed.length === 0) break;
      const live = changed.filter(isLive);
      const targets = byCampaign(
        await campaigns.targetsOf(
          executor,
          live.map((c) => c.id),
        ),
      );
      for (const row of changed) {
        if (isLive(row)) this.index.add(footprintOfRow(row, targets.get(row.id) ?? []));
        else this.index.remove(row.id);
      }
      from = Number((changed[changed.length - 1] as CampaignRow).seq);
    }
    this.#seq = last;
  }

  async #rebuild(executor: Executor): Promise<void> {
    for (let after = ''; ;) {
      const rows = await campaigns.liveCampaignsAfter(executor, after, PAGE);
      if (rows.length === 0) break;
      const targets = byCampaign(
        await campaigns.targetsOf(
          executor,
          rows.map((r) => r.id),
        ),
      );
      for (const row of rows) this.index.add(footprintOfRow(row, targets.get(row.id) ?? []));
      after = (rows[rows.length - 1] as CampaignRow).id;
    }
  }
}

const caches = new WeakMap<Database, CampaignIndexCache>();

/** The overlap index of this database handle (one per process and database). */
export function campaignIndexOf(db: Database): CampaignIndexCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new CampaignIndexCache();
    caches.set(db, cache);
  }
  return cache;
}

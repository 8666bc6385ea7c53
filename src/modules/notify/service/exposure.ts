import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import type { StoredEvent } from '../../../platform/events/index.js';
import type { ExposureChangedPayload } from '../../inventory/index.js';
import { closeClearedItems, type ClearRequest } from './clearing.js';
import { fanOut } from './fan-out.js';
import {
  planNoticesAmong,
  TARGETING_PAGE,
  writeNotices,
  type NamedTargetingRequest,
  type PlannedNotices,
  type TargetingDeps,
} from './targeting.js';

interface ExposureChange {
  readonly advisoryId: string;
  readonly notify: NamedTargetingRequest | null;
  readonly clear: ClearRequest | null;
}

function changeOf(event: StoredEvent<ExposureChangedPayload>): ExposureChange {
  const p = event.payload;
  return {
    advisoryId: p.advisoryId,
    notify:
      p.orgIds.length === 0
        ? null
        : {
            type: 'advisory.matched',
            advisoryId: p.advisoryId,
            orgIds: p.orgIds,
            dedupScope: 'exposure',
            sourceEventId: event.id,
            // A publication's own reverse match: notify.publication has told every operator already.
            skipPublications: p.reason === 'advisory-changed',
          },
    clear:
      p.clearedOrgIds.length === 0
        ? null
        : { advisoryId: p.advisoryId, orgIds: p.clearedOrgIds, assetIds: p.clearedAssetIds, reason: p.reason, sourceEventId: event.id },
  };
}

/**
 * Runs of changes that name each advisory once: within one, the changes of different advisories touch
 * different notifications and remediation items, so their notices may be written before their clearings
 * without changing the outcome; an advisory named again starts the next run, after the first is written.
 */
function runsOfDistinctAdvisories(changes: readonly ExposureChange[]): ExposureChange[][] {
  const runs: ExposureChange[][] = [];
  let run: ExposureChange[] = [];
  let named = new Set<string>();
  for (const change of changes) {
    if (named.has(change.advisoryId)) {
      runs.push(run);
      run = [];
      named = new Set();
    }
    named.add(change.advisoryId);
    run.push(change);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * `notify.exposure` for the events one job delivers (an SBOM upload changes the exposure of dozens of
 * advisories at once): the operators each event names as affected hear of it (`advisory.matched`, or
 * `advisory.published` for a published case advisory) with their own assets, and those it names as no
 * longer affected get their items closed (`advisory.cleared`) — as the events one by one would, but with one
 * transaction, one fan-out and one dispatch kick for all of them rather than one each (a transaction holds
 * at most {@link TARGETING_PAGE} notices; the reads that plan them happen before it, together for all the
 * events of a run: see {@link planNoticesAmong}). Idempotent.
 */
export async function notifyExposureChanges(
  ctx: ServiceContext,
  deps: TargetingDeps,
  events: readonly StoredEvent<ExposureChangedPayload>[],
): Promise<void> {
  const counts = { matchedOperators: 0, entitledOperators: 0 };
  for (const run of runsOfDistinctAdvisories(events.map(changeOf))) {
    let planned: PlannedNotices[] = [];
    let drafts = 0;
    const requests = run.flatMap((c) => (c.notify === null ? [] : [c.notify]));
    for await (const page of planNoticesAmong(ctx, deps, requests, counts)) {
      planned.push(page);
      drafts += page.drafts.length;
      if (drafts < TARGETING_PAGE) continue;
      const full = planned;
      await withTransaction(ctx.db, (trx) => writeNotices(ctx, trx, full));
      planned = [];
      drafts = 0;
    }
    const clears = run.flatMap((c) => (c.clear === null ? [] : [c.clear]));
    if (drafts === 0 && clears.length === 0) continue;
    await withTransaction(ctx.db, async (trx) => {
      await writeNotices(ctx, trx, planned);
      await fanOut(ctx, trx, (await closeClearedItems(ctx, trx, clears)).drafts);
    });
  }
}

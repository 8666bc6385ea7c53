import type { ServiceContext } from '../../../platform/context.js';
import type { QueuedWork } from '../../../platform/jobs/index.js';
import { trackWork } from '../../identity/index.js';
import { importEpssScores, type EpssImportInput, type EpssImportResult } from './epss-import.js';
import { importKevCatalog, type KevImportInput, type KevImportResult } from './kev-import.js';

/** A feed loaded by hand (`feeds load`, locally or through the API), with the re-prioritization it queued. */
export type FeedLoad<R> = R & { readonly work: QueuedWork };

/** {@link importKevCatalog} as one background work: the decisions naming a changed CVE are recomputed after it. */
export async function loadKev(ctx: ServiceContext, input: KevImportInput): Promise<FeedLoad<KevImportResult>> {
  const { result, work } = await trackWork(ctx, 'scoring.feed.load', () => importKevCatalog(ctx, input));
  return { ...result, work };
}

/** {@link importEpssScores} as one background work: every decision is recomputed after a new EPSS day. */
export async function loadEpss(ctx: ServiceContext, input: EpssImportInput): Promise<FeedLoad<EpssImportResult>> {
  const { result, work } = await trackWork(ctx, 'scoring.feed.load', () => importEpssScores(ctx, input));
  return { ...result, work };
}

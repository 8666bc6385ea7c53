import type { ServiceContext } from '../../../platform/context.js';
import type { Page, PageRequest } from '../../../platform/db/index.js';
import { presentEpssImport, presentFeedSource, presentKevImport, type EpssImport, type FeedStatus, type KevImport } from '../presenters.js';
import { epssCounts, lastEpssImport, listEpssImports } from '../store/epss.js';
import { listFeedSources } from '../store/feed-sources.js';
import { countListedKevEntries, lastKevImport, listKevImports } from '../store/kev.js';
import { checkFeed } from './feed-sources.js';

/** What the feeds hold: the KEV release and its size, the EPSS days, the last imports and the refresh sources. Public data: anyone signed in. */
export async function getFeedStatus(ctx: ServiceContext): Promise<FeedStatus> {
  const executor = ctx.db.kysely;
  const [kevImport, entries, epssImport, counts, sources] = await Promise.all([
    lastKevImport(executor),
    countListedKevEntries(executor),
    lastEpssImport(executor),
    epssCounts(executor),
    listFeedSources(executor),
  ]);
  const sourceOf = (feed: string) => {
    const row = sources.find((s) => s.feed === feed);
    return row === undefined ? null : presentFeedSource(row);
  };
  return {
    kev: {
      catalogVersion: kevImport?.catalog_version ?? null,
      dateReleased: kevImport?.date_released ?? null,
      entries,
      lastImport: kevImport === undefined ? null : presentKevImport(kevImport),
      source: sourceOf('kev'),
    },
    epss: { ...counts, lastImport: epssImport === undefined ? null : presentEpssImport(epssImport), source: sourceOf('epss') },
  };
}

/** A feed's import history, newest first. */
export async function listFeedImports(ctx: ServiceContext, feed: string, request: PageRequest): Promise<Page<KevImport | EpssImport>> {
  if (checkFeed(feed) === 'kev') {
    const page = await listKevImports(ctx.db.kysely, request);
    return { items: page.items.map(presentKevImport), nextCursor: page.nextCursor };
  }
  const page = await listEpssImports(ctx.db.kysely, request);
  return { items: page.items.map(presentEpssImport), nextCursor: page.nextCursor };
}

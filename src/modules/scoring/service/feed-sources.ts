import { describeActor } from '../../../platform/actor.js';
import { HOUR } from '../../../platform/clock.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import { FEEDS, type Feed } from '../domain/feeds.js';
import { presentFeedSource, type FeedSource } from '../presenters.js';
import { findFeedSource, listFeedSources, recordFeedAttempt, saveFeedSource } from '../store/feed-sources.js';
import { authorize } from '../../identity/index.js';
import { importEpssScores } from './epss-import.js';
import { fetchFeed, isFeedUrl } from './feed-fetch.js';
import { importKevCatalog } from './kev-import.js';

export { FEEDS, type Feed };

export const DEFAULT_REFRESH_HOURS = 24;
export const MAX_REFRESH_HOURS = 24 * 30;

export interface FeedSourceInput {
  /** http(s) URL of the KEV catalog JSON, or of the EPSS daily CSV (.gz) or an EPSS API query. */
  readonly url?: unknown;
  /** Default true. */
  readonly enabled?: unknown;
  /** Hours between refreshes, 1 to 720; default 24. */
  readonly everyHours?: unknown;
}

function readSource(input: FeedSourceInput): { url: string; enabled: boolean; everyHours: number } {
  const issues: { pointer: string; detail: string }[] = [];
  const url = input.url;
  if (typeof url !== 'string' || !isFeedUrl(url) || url.length > 2048)
    issues.push({ pointer: '/url', detail: 'must be an http(s) URL of at most 2048 characters' });
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') issues.push({ pointer: '/enabled', detail: 'must be true or false' });
  const everyHours = input.everyHours ?? DEFAULT_REFRESH_HOURS;
  if (typeof everyHours !== 'number' || !Number.isInteger(everyHours) || everyHours < 1 || everyHours > MAX_REFRESH_HOURS) {
    issues.push({ pointer: '/everyHours', detail: `must be a whole number from 1 to ${MAX_REFRESH_HOURS}` });
  }
  if (issues.length > 0) throw new InputError('invalid feed source', issues);
  return { url: url as string, enabled: enabled as boolean, everyHours: everyHours as number };
}

export function checkFeed(feed: string): Feed {
  const known = FEEDS.find((f) => f === feed);
  if (known === undefined)
    throw new InputError(`unknown feed "${feed}"`, [{ pointer: '/feed', detail: `must be one of ${FEEDS.join(', ')}` }]);
  return known;
}

/**
 * Sets where a feed is refreshed from and how often (coordinator admins only). No feed has a source until
 * one is set, so a server without internet access never tries to reach one. Audited as
 * `scoring.feed_source.update`.
 */
export async function setFeedSource(ctx: ServiceContext, feed: string, input: FeedSourceInput): Promise<FeedSource> {
  authorize(ctx.actor, 'scoring.feed.manage');
  const name = checkFeed(feed);
  const source = readSource(input);
  return withTransaction(ctx.db, async (trx) => {
    const before = await findFeedSource(trx, name);
    const row = {
      feed: name,
      url: source.url,
      enabled: source.enabled ? 1 : 0,
      every_hours: source.everyHours,
      updated_by: describeActor(ctx.actor),
      updated_at: ctx.clock.now().toISOString(),
    };
    await saveFeedSource(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scoring.feed_source.update',
      subject: { type: 'feed_source', id: name },
      orgId: null,
      diff: {
        before: before === undefined ? null : { url: before.url, enabled: before.enabled === 1, everyHours: before.every_hours },
        after: source,
      },
    });
    const saved = await findFeedSource(trx, name);
    if (saved === undefined) throw new Error(`feed source ${name} was not saved`);
    return presentFeedSource(saved);
  });
}

export interface RefreshOutcome {
  readonly feed: Feed;
  readonly status: 'not-due' | 'unchanged' | 'imported' | 'failed';
  readonly detail: string | null;
}

/**
 * Refreshes every enabled feed whose interval has passed since its last attempt: downloads it and imports
 * it (which records and announces any change). A failure is recorded on the source (`lastError`) and
 * logged, and the other feeds go on; the next scheduled run tries again. The attempt times are operational
 * state, not audited (like a token's last use); the imports they lead to are. Run by the scheduled job.
 */
export async function refreshFeeds(ctx: ServiceContext): Promise<RefreshOutcome[]> {
  authorize(ctx.actor, 'scoring.feed.manage');
  const out: RefreshOutcome[] = [];
  for (const source of await listFeedSources(ctx.db.kysely)) {
    if (source.enabled !== 1) continue;
    const feed = checkFeed(source.feed);
    const now = ctx.clock.now();
    if (source.last_attempt_at !== null && now.getTime() - Date.parse(source.last_attempt_at) < source.every_hours * HOUR) {
      out.push({ feed, status: 'not-due', detail: null });
      continue;
    }
    try {
      const data = await fetchFeed(source.url);
      const result =
        feed === 'kev'
          ? await importKevCatalog(ctx, { data, source: source.url })
          : await importEpssScores(ctx, { data, source: source.url });
      await recordFeedAttempt(ctx.db.kysely, feed, now.toISOString(), null);
      out.push({ feed, status: result.changed ? 'imported' : 'unchanged', detail: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.warn({ feed, url: source.url, err: error }, 'feed refresh failed');
      await recordFeedAttempt(ctx.db.kysely, feed, now.toISOString(), message.slice(0, 1000));
      out.push({ feed, status: 'failed', detail: message });
    }
  }
  return out;
}

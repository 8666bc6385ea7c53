import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  describeQueued,
  dispatchWaiting,
  emit,
  progress,
  queryOf,
  respond,
  table,
  withLocal,
  withRemoteOptions,
  withWaitOption,
  type CommandDeps,
  type Output,
  type Progress,
  type RemoteFlags,
  type Waited,
} from '../../../platform/cli/index.js';
import { InputError, PayloadTooLargeError } from '../../../platform/errors.js';
import { DEFAULT_FEED_MAX_BYTES } from '../domain/feed-input.js';
import type { FeedSource, FeedStatus } from '../presenters.js';
import type { EpssImportResult } from '../service/epss-import.js';
import { loadEpss, loadKev, type FeedLoad } from '../service/feed-load.js';
import { fetchFeed, isFeedUrl } from '../service/feed-fetch.js';
import type { FeedProgress } from '../service/feed-progress.js';
import { DEFAULT_REFRESH_HOURS, setFeedSource } from '../service/feed-sources.js';
import { getFeedStatus } from '../service/feed-status.js';
import type { KevImportResult } from '../service/kev-import.js';

/** The bytes of a feed named on the command line: downloaded when it is a URL, read when it is a file. */
async function readFeed(location: string, flag: string): Promise<Uint8Array> {
  if (isFeedUrl(location)) return fetchFeed(location);
  let size: number;
  try {
    size = (await stat(location)).size;
  } catch (error) {
    throw new InputError(`cannot read ${location}: ${(error as Error).message}`, [
      { pointer: flag, detail: 'must be a readable file or an http(s) URL' },
    ]);
  }
  if (size > DEFAULT_FEED_MAX_BYTES)
    throw new PayloadTooLargeError(`${location} is larger than ${DEFAULT_FEED_MAX_BYTES} bytes`, DEFAULT_FEED_MAX_BYTES);
  return readFile(location);
}

/** A progress bar that appears with the first report (imports learn their size only once parsed). */
function bar(output: Output, label: string): { report: FeedProgress; stop(): void } {
  let shown: Progress | undefined;
  return {
    report: (done, total) => {
      shown ??= progress(output, label, total);
      shown.update(done, total);
    },
    stop: () => shown?.stop(),
  };
}

function describeKev(r: KevImportResult): string {
  if (!r.changed || r.import === null) return `KEV catalog ${r.catalogVersion}: ${r.entries} entries, unchanged`;
  const i = r.import;
  return `KEV catalog ${i.catalogVersion} (was ${i.previousCatalogVersion ?? 'none'}): ${i.entries} entries, ${i.added.length} added, ${i.removed.length} removed, ${i.changed.length} changed`;
}

function describeEpss(r: EpssImportResult): string {
  const days = r.scoreDates.join(', ');
  if (!r.changed || r.import === null) return `EPSS ${days}: ${r.rows} scores, unchanged`;
  return `EPSS ${days}: ${r.rows} scores, ${r.import.stored} stored, newest score changed for ${r.import.latestChanged} CVEs`;
}

/** How a feed file travels to a server: its media type, by its first bytes. */
function feedMediaType(data: Uint8Array): string {
  if (data[0] === 0x1f && data[1] === 0x8b) return 'application/gzip';
  return /^\s*[{[]/.test(Buffer.from(data.subarray(0, 64)).toString('utf8')) ? 'application/json' : 'text/csv';
}

interface FeedLoadResult {
  kev?: FeedLoad<KevImportResult>;
  epss?: FeedLoad<EpssImportResult>;
}

function describeStatus(s: FeedStatus): string {
  const source = (f: FeedSource | null) =>
    f === null ? 'no refresh source' : `${f.enabled ? 'refreshed' : 'not refreshed (disabled)'} every ${f.everyHours} h from ${f.url}`;
  return [
    `KEV   ${s.kev.catalogVersion ?? 'not loaded'}: ${s.kev.entries} entries; last import ${s.kev.lastImport?.importedAt ?? 'never'}; ${source(s.kev.source)}`,
    `EPSS  ${s.epss.latestScoreDate ?? 'not loaded'}: ${s.epss.scoresOnLatestDate} scores that day, ${s.epss.cvesScored} CVEs, ${s.epss.days} days held; last import ${s.epss.lastImport?.importedAt ?? 'never'}; ${source(s.epss.source)}`,
  ].join('\n');
}

/** `feeds load|status|source`: the KEV and EPSS feeds of the configured database. */
export function registerFeedCommands(program: Command, deps: CommandDeps): void {
  const feeds = program.command('feeds').description('the KEV and EPSS feeds');

  withWaitOption(
    withRemoteOptions(
      feeds
        .command('load')
        .description('import the KEV catalog and/or EPSS scores from files or URLs (re-importing what is held changes nothing)')
        .option('--kev <file|url>', 'CISA KEV catalog JSON')
        .option('--epss <file|url>', 'EPSS daily CSV (plain or .gz) or EPSS API JSON')
        .option('--score-date <date>', 'score date of an EPSS CSV without its #model_version line (YYYY-MM-DD)')
        .option('--allow-older', 'accept a KEV catalog released before the one held')
        .option('--json', 'print JSON'),
    ),
  ).action(async (flags: RemoteFlags & { kev?: string; epss?: string; scoreDate?: string; allowOlder?: boolean; wait?: boolean }) => {
    if (flags.kev === undefined && flags.epss === undefined)
      throw new InputError('name a feed to load', [{ pointer: '--kev', detail: 'give --kev, --epss or both' }]);
    // Read before anything is opened: a file that cannot be read changes nothing, here or on the server.
    const kevData = flags.kev === undefined ? undefined : await readFeed(flags.kev, '--kev');
    const epssData = flags.epss === undefined ? undefined : await readFeed(flags.epss, '--epss');
    const out = await dispatchWaiting(
      deps,
      flags,
      async ({ ctx }) => {
        const result: FeedLoadResult = {};
        if (kevData !== undefined && flags.kev !== undefined) {
          const progressBar = bar(deps.output, 'KEV ');
          try {
            result.kev = await loadKev(ctx, {
              data: kevData,
              source: flags.kev,
              allowOlder: flags.allowOlder === true,
              onProgress: progressBar.report,
            });
          } finally {
            progressBar.stop();
          }
        }
        if (epssData !== undefined && flags.epss !== undefined) {
          const progressBar = bar(deps.output, 'EPSS');
          try {
            result.epss = await loadEpss(ctx, {
              data: epssData,
              source: flags.epss,
              onProgress: progressBar.report,
              ...(flags.scoreDate === undefined ? {} : { scoreDate: flags.scoreDate }),
            });
          } finally {
            progressBar.stop();
          }
        }
        return result;
      },
      async (api) => {
        const result: FeedLoadResult = {};
        if (kevData !== undefined)
          result.kev = await api.request<FeedLoad<KevImportResult>>(
            'POST',
            `/api/v1/scoring/feeds/kev${queryOf({ source: flags.kev, allowOlder: flags.allowOlder === true ? 'true' : undefined })}`,
            kevData,
            feedMediaType(kevData),
          );
        if (epssData !== undefined)
          result.epss = await api.request<FeedLoad<EpssImportResult>>(
            'POST',
            `/api/v1/scoring/feeds/epss${queryOf({ source: flags.epss, scoreDate: flags.scoreDate })}`,
            epssData,
            feedMediaType(epssData),
          );
        return result;
      },
      (r) => [r.kev?.work, r.epss?.work].filter((w) => w !== undefined),
    );
    emit(deps.output, flags.json, out, (r: Waited<FeedLoadResult>) =>
      [
        r.kev && describeKev(r.kev),
        r.epss && describeEpss(r.epss),
        describeQueued(
          [r.kev?.work, r.epss?.work].filter((w) => w !== undefined),
          r.waited,
        ),
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });

  withRemoteOptions(
    feeds.command('status').description('what the feeds hold, the last imports and the refresh sources').option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags) => {
    await respond(
      deps,
      flags,
      ({ ctx }) => getFeedStatus(ctx),
      (api) => api.get<FeedStatus>('/api/v1/scoring/feeds'),
      describeStatus,
      { reads: true },
    );
  });

  feeds
    .command('source')
    .description('set where a feed is refreshed from by the server (off until set: the server may have no internet access)')
    .requiredOption('--feed <feed>', 'kev | epss')
    .requiredOption('--url <url>', 'http(s) URL of the feed')
    .option('--every-hours <n>', `hours between refreshes (default ${DEFAULT_REFRESH_HOURS})`, (v) => Number(v))
    .option('--disable', 'keep the URL but stop refreshing')
    .option('--json', 'print JSON')
    .action(async (flags: { feed: string; url: string; everyHours?: number; disable?: boolean; json?: boolean }) => {
      const input = {
        url: flags.url,
        enabled: flags.disable !== true,
        ...(flags.everyHours === undefined ? {} : { everyHours: flags.everyHours }),
      };
      const source = await withLocal(deps, ({ ctx }) => setFeedSource(ctx, flags.feed, input));
      emit(deps.output, flags.json, source, (s) =>
        table(['FEED', 'URL', 'ENABLED', 'EVERY'], [[flags.feed, s.url, String(s.enabled), `${s.everyHours} h`]]),
      );
    });
}

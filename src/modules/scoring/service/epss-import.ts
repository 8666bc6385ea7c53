import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction } from '../../../platform/db/index.js';
import { sha256Hex } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import { parseEpssFeed } from '../domain/epss-feed.js';
import type { EpssScore } from '../domain/epss-score.js';
import { presentEpssImport, type EpssImport } from '../presenters.js';
import { upsertEpssLatest, upsertEpssScores, insertEpssImport } from '../store/epss.js';
import { chunks, type EpssScoreRow } from '../store/tables.js';
import { authorize } from '../../identity/index.js';
import type { FeedProgress } from './feed-progress.js';
import { EPSS_UPDATED } from '../events.js';

export interface EpssImportInput {
  /** FIRST's daily CSV (plain or gzip) or an EPSS API response (JSON). */
  readonly data: string | Uint8Array;
  /** Where it came from (a file name or URL), for the import history. */
  readonly source: string;
  /** The score date of a CSV without the leading `#model_version:…,score_date:…` line. */
  readonly scoreDate?: string;
  readonly onProgress?: FeedProgress;
}

export interface EpssImportResult {
  /** False when every score was held already: nothing was written. */
  readonly changed: boolean;
  readonly import: EpssImport | null;
  readonly scoreDates: readonly string[];
  readonly rows: number;
}

/** Each CVE's newest score in the feed (an API time series holds several days per CVE). */
function newestByCve(scores: readonly EpssScore[]): EpssScore[] {
  const newest = new Map<string, EpssScore>();
  for (const score of scores) {
    const held = newest.get(score.cveId);
    if (held === undefined || held.date < score.date) newest.set(score.cveId, score);
  }
  return [...newest.values()];
}

/**
 * Imports EPSS scores, keeping history by score date: new scores are stored, a day published again with
 * other numbers replaces that day, and each CVE's newest score is kept for decisions. A feed whose every
 * score is held already changes and records nothing. Coordinator admins and the system only; InputError
 * naming the line and column (CSV) or field (JSON) of a bad feed. Audited as `scoring.epss.import`;
 * emits `scoring.epss.updated` (the newest score date, its count, how many CVEs' newest score changed),
 * upon which decisions are recomputed.
 */
export async function importEpssScores(ctx: ServiceContext, input: EpssImportInput): Promise<EpssImportResult> {
  authorize(ctx.actor, 'scoring.feed.manage');
  const feed = parseEpssFeed(input.data, input.scoreDate === undefined ? {} : { scoreDate: input.scoreDate });
  const sha256 = sha256Hex(input.data);
  const toRow = (s: EpssScore): EpssScoreRow => ({
    cve_id: s.cveId,
    score_date: s.date,
    epss: s.epss,
    percentile: s.percentile,
    model_version: feed.modelVersion,
  });
  const newest = newestByCve(feed.scores);
  const total = feed.scores.length + newest.length;
  return withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, 'scoring.epss');
    let stored = 0;
    let latestChanged = 0;
    let done = 0;
    input.onProgress?.(0, total);
    for (const part of chunks(feed.scores, 5000)) {
      stored += await upsertEpssScores(trx, part.map(toRow));
      input.onProgress?.((done += part.length), total);
    }
    for (const part of chunks(newest, 5000)) {
      latestChanged += await upsertEpssLatest(trx, part.map(toRow));
      input.onProgress?.((done += part.length), total);
    }
    if (stored === 0 && latestChanged === 0) return { changed: false, import: null, scoreDates: feed.scoreDates, rows: feed.scores.length };
    const latestDate = feed.scoreDates[feed.scoreDates.length - 1] ?? '';
    const row = {
      id: newId('epssimp'),
      imported_at: ctx.clock.now().toISOString(),
      imported_by: describeActor(ctx.actor),
      source: input.source.slice(0, 2048),
      sha256,
      format: feed.format,
      model_version: feed.modelVersion,
      score_dates: JSON.stringify(feed.scoreDates),
      row_count: feed.scores.length,
      stored_count: stored,
      latest_changed_count: latestChanged,
    };
    await insertEpssImport(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scoring.epss.import',
      subject: { type: 'epss_import', id: row.id },
      orgId: null,
      diff: { source: row.source, sha256, scoreDates: feed.scoreDates, rows: row.row_count, stored, latestChanged },
    });
    await ctx.events.emit(trx, {
      type: EPSS_UPDATED,
      subjectId: row.id,
      payload: {
        scoreDate: latestDate,
        count: feed.scores.filter((s) => s.date === latestDate).length,
        scoreDates: feed.scoreDates,
        modelVersion: feed.modelVersion,
        stored,
        latestChanged,
      },
    });
    return { changed: true, import: presentEpssImport(row), scoreDates: feed.scoreDates, rows: feed.scores.length };
  });
}

import { parseEpssApiResponse } from './epss-api.js';
import { parseEpssCsv, type ParseEpssCsvOptions } from './epss-csv.js';
import type { EpssScore } from './epss-score.js';
import { decodeFeedText } from './feed-input.js';

/** EPSS scores as one load delivers them, whatever the format. */
export interface EpssFeed {
  readonly format: 'csv' | 'api';
  /** The model that produced the scores, when the file says (the CSV's leading line). */
  readonly modelVersion: string | null;
  /** The days the scores are for, sorted (one for the daily CSV; any number for an API time series). */
  readonly scoreDates: readonly string[];
  readonly scores: readonly EpssScore[];
}

/**
 * Reads either EPSS format FIRST publishes: the daily CSV (plain or gzip) or an EPSS API response (JSON),
 * told apart by the first character of the text (`{` for JSON). See {@link parseEpssCsv} and
 * {@link parseEpssApiResponse} for the rules and what each throws.
 */
export function parseEpssFeed(input: string | Uint8Array, options: ParseEpssCsvOptions = {}): EpssFeed {
  const text = decodeFeedText(input, 'the EPSS feed', options);
  if (text.trimStart().startsWith('{')) {
    const page = parseEpssApiResponse(text, options);
    return { format: 'api', modelVersion: null, scoreDates: [...new Set(page.scores.map((s) => s.date))].sort(), scores: page.scores };
  }
  const day = parseEpssCsv(text, options);
  return { format: 'csv', modelVersion: day.modelVersion, scoreDates: [day.scoreDate], scores: day.scores };
}

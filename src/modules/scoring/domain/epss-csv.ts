import { readEpssFields, parseScoreDate, type EpssDay, type EpssScore } from './epss-score.js';
import { decodeFeedText, type FeedInputOptions } from './feed-input.js';
import { IssueList } from '../../../platform/input/issues.js';

export interface ParseEpssCsvOptions extends FeedInputOptions {
  /**
   * The score date (`YYYY-MM-DD`) of a file without the leading `#model_version:…,score_date:…` line (FIRST
   * added it in 2022). Ignored when the file has the line. Default: none, and such a file is rejected.
   */
  readonly scoreDate?: string;
}

const COLUMNS = ['cve', 'epss', 'percentile'] as const;

/** `#model_version:v2023.03.01,score_date:2023-03-01T00:00:00+0000` → its key/value pairs. */
function metadata(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of line.slice(1).split(',')) {
    const colon = part.indexOf(':');
    // Split at the first colon only: the date-time value holds colons of its own.
    if (colon > 0) pairs.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  return pairs;
}

/**
 * Parses FIRST's daily EPSS CSV (`epss_scores-YYYY-MM-DD.csv`, plain or `.gz`): an optional leading line
 * `#model_version:…,score_date:…` (the date with time and offset, or plain `YYYY-MM-DD`), the header
 * `cve,epss,percentile`, then one row per CVE. Blank lines are ignored; a CVE may appear once.
 *
 * Issues point at `/<line>/<column>`, lines counted from 1 as an editor shows them, and their detail says
 * `line N, column C (name): …`.
 *
 * @throws InputError naming the line and column of each bad field (at most 20), a missing or wrong header,
 *   a missing score date, or a file with no rows.
 * @throws PayloadTooLargeError beyond `maxBytes` (default 64 MiB, after decompression).
 */
export function parseEpssCsv(input: string | Uint8Array, options: ParseEpssCsvOptions = {}): EpssDay {
  const lines = decodeFeedText(input, 'the EPSS CSV', options).split('\n');
  const issues = new IssueList();
  let next = 0;
  const nextLine = (): { number: number; text: string } | null => {
    while (next < lines.length) {
      const text = (lines[next] ?? '').replace(/\r$/, '');
      next += 1;
      if (text.trim() !== '') return { number: next, text };
    }
    return null;
  };

  let first = nextLine();
  let modelVersion: string | null = null;
  let scoreDate: string | null = null;
  if (first?.text.startsWith('#')) {
    const meta = metadata(first.text);
    modelVersion = meta.get('model_version') ?? null;
    const published = meta.get('score_date');
    scoreDate = published === undefined ? null : parseScoreDate(published);
    if (scoreDate === null)
      issues.add(`/${first.number}/score_date`, `line ${first.number}: score_date ${JSON.stringify(published ?? null)} is not a date`);
    first = nextLine();
  } else if (options.scoreDate !== undefined) {
    scoreDate = parseScoreDate(options.scoreDate);
    if (scoreDate === null) issues.add('/scoreDate', `the score date option '${options.scoreDate}' is not a date`);
  } else {
    issues.add('/1', 'line 1: there is no "#model_version:…,score_date:…" line, and no score date was given');
  }

  const header = first?.text.trim().toLowerCase();
  if (header !== COLUMNS.join(',')) {
    const at = first?.number ?? Math.max(next, 1); // at the end of a file that stops short, the line after the last
    issues.add(`/${at}`, `line ${at}: the header must be "${COLUMNS.join(',')}", not ${JSON.stringify(first?.text ?? '')}`);
    issues.throwIfAny('the EPSS CSV is not in the daily format');
  }

  const scores: EpssScore[] = [];
  const firstLine = new Map<string, number>();
  for (let line = nextLine(); line !== null && !issues.full; line = nextLine()) {
    const { number } = line;
    const cells = line.text.split(',');
    if (cells.length !== COLUMNS.length) {
      issues.add(`/${number}`, `line ${number}: has ${cells.length} fields, wants ${COLUMNS.length} (${COLUMNS.join(',')})`);
      continue;
    }
    const fields = readEpssFields(cells[0], cells[1], cells[2], (field, detail) => {
      issues.add(
        `/${number}/${field}`,
        `line ${number}, column ${COLUMNS.indexOf(field as (typeof COLUMNS)[number]) + 1} (${field}): ${detail}`,
      );
    });
    if (fields === null) continue;
    const earlier = firstLine.get(fields.cveId);
    if (earlier !== undefined) {
      issues.add(`/${number}/cve`, `line ${number}, column 1 (cve): repeats ${fields.cveId} (first on line ${earlier})`);
      continue;
    }
    firstLine.set(fields.cveId, number);
    scores.push({ ...fields, date: scoreDate ?? '' });
  }
  if (scores.length === 0 && issues.empty) issues.add(`/${(first?.number ?? 0) + 1}`, 'the file has a header but no scores');
  issues.throwIfAny('invalid EPSS CSV');
  return { modelVersion, scoreDate: scoreDate ?? '', scores };
}

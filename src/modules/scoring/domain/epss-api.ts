import { readEpssFields, parseScoreDate, type EpssScore } from './epss-score.js';
import { decodeFeedText, parseFeedJson, type FeedInputOptions } from './feed-input.js';
import { IssueList, rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';

/** One page of the FIRST EPSS API (`https://api.first.org/data/v1/epss`). */
export interface EpssApiPage {
  /** How many rows the query matches in all, when the API says. */
  readonly total: number | null;
  readonly offset: number | null;
  readonly limit: number | null;
  /**
   * The page's scores, one per CVE and date: each row's own score, plus the rows of its `time-series`
   * (when the query asked for `scope=time-series`), in the order given.
   */
  readonly scores: readonly EpssScore[];
}

const scoreValue = { type: ['string', 'number'] };
const scoreFields = { epss: scoreValue, percentile: scoreValue, date: { type: 'string' } };

/**
 * The response shape as FIRST documents it (https://www.first.org/epss/api): the envelope and the row
 * fields this module reads. FIRST publishes no schema; other fields (`model_version`, `version`, `access`)
 * pass. Values are checked in code, where the message can say what is wrong with a number.
 */
export const EPSS_API_RESPONSE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'FIRST EPSS API response',
  type: 'object',
  required: ['status', 'data'],
  properties: {
    status: { type: 'string' },
    'status-code': { type: 'integer' },
    total: { type: 'integer', minimum: 0 },
    offset: { type: 'integer', minimum: 0 },
    limit: { type: 'integer', minimum: 0 },
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cve', 'epss', 'percentile', 'date'],
        properties: {
          cve: { type: 'string' },
          ...scoreFields,
          'time-series': { type: 'array', items: { type: 'object', required: ['epss', 'percentile', 'date'], properties: scoreFields } },
        },
      },
    },
  },
} as const;

const validateResponse = schemaValidator('draft-07', EPSS_API_RESPONSE_SCHEMA, OWN_SCHEMA);

interface ApiScore {
  readonly epss: string | number;
  readonly percentile: string | number;
  readonly date: string;
}
interface ApiResponse {
  readonly status: string;
  readonly total?: number;
  readonly offset?: number;
  readonly limit?: number;
  readonly data: readonly (ApiScore & { readonly cve: string; readonly 'time-series'?: readonly ApiScore[] })[];
}

/**
 * Parses a response of FIRST's EPSS API, e.g.
 * `{"status":"OK","total":1,"offset":0,"limit":100,"data":[{"cve":"CVE-2022-27225","epss":"0.00043","percentile":"0.08220","date":"2023-03-01"}]}`.
 * Scores may come as strings (as the API sends them) or numbers.
 *
 * @throws InputError naming each bad field by JSON pointer (`/data/3/epss`), a status other than `OK`, or a
 *   CVE and date given twice with different scores.
 * @throws PayloadTooLargeError beyond `maxBytes` (default 64 MiB).
 */
export function parseEpssApiResponse(input: string | Uint8Array, options: FeedInputOptions = {}): EpssApiPage {
  const json = parseFeedJson(decodeFeedText(input, 'the EPSS API response', options), 'the EPSS API response');
  const schemaIssues = validateResponse(json);
  if (schemaIssues.length > 0) rejectInput('the EPSS API response does not have the documented shape', schemaIssues);
  const response = json as ApiResponse;
  if (response.status !== 'OK')
    rejectInput('the EPSS API answered with an error', [{ pointer: '/status', detail: `is '${response.status}', not 'OK'` }]);

  const issues = new IssueList();
  const byKey = new Map<string, EpssScore>();
  const read = (cve: unknown, score: ApiScore, pointer: string) => {
    const fields = readEpssFields(cve, score.epss, score.percentile, (field, detail) => issues.add(`${pointer}/${field}`, detail));
    const date = parseScoreDate(score.date);
    if (date === null) issues.add(`${pointer}/date`, `'${score.date}' is not a date`);
    if (fields === null || date === null) return;
    const key = `${fields.cveId} ${date}`;
    const seen = byKey.get(key);
    if (seen !== undefined && (seen.epss !== fields.epss || seen.percentile !== fields.percentile)) {
      issues.add(pointer, `gives ${fields.cveId} on ${date} a second, different score`);
    } else if (seen === undefined) byKey.set(key, { ...fields, date });
  };
  response.data.forEach((row, i) => {
    read(row.cve, row, `/data/${i}`);
    row['time-series']?.forEach((point, j) => read(row.cve, point, `/data/${i}/time-series/${j}`));
  });
  issues.throwIfAny('invalid EPSS API response');
  return { total: response.total ?? null, offset: response.offset ?? null, limit: response.limit ?? null, scores: [...byKey.values()] };
}

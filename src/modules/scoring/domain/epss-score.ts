/**
 * EPSS (FIRST's Exploit Prediction Scoring System): the probability that a CVE is exploited in the next 30
 * days, and that probability's percentile among all scored CVEs, published once a day.
 */

export interface EpssScore {
  readonly cveId: string;
  /** Probability of exploitation activity in the next 30 days, 0 to 1. */
  readonly epss: number;
  /** Share of scored CVEs with an equal or lower probability, 0 to 1. */
  readonly percentile: number;
  /** `YYYY-MM-DD`: the day the score is for. History is kept by this date. */
  readonly date: string;
}

/** One day's scores, as the daily CSV delivers them. */
export interface EpssDay {
  /** The model that produced them (`v2023.03.01`), or null when the file does not say. */
  readonly modelVersion: string | null;
  readonly scoreDate: string;
  readonly scores: readonly EpssScore[];
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
// Both forms seen in the CSV's leading line: `2023-03-01T00:00:00+0000` and `2023-03-01`; the API uses the latter.
const SCORE_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The `YYYY-MM-DD` day of a score date in either published form, or null when it is not a real date. */
export function parseScoreDate(text: string): string | null {
  const match = SCORE_DATE.exec(text.trim());
  if (match === null) return null;
  const [, y = '', m = '', d = ''] = match;
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const iso = `${y}-${m}-${d}`;
  // Date.UTC rolls 2023-02-30 over into March; a real date survives the round trip unchanged.
  return day.toISOString().slice(0, 10) === iso ? iso : null;
}

/** Reports a bad field: its name and why. */
export type FieldReporter = (field: 'cve' | 'epss' | 'percentile' | 'date', detail: string) => void;

function probability(value: unknown, field: 'epss' | 'percentile', report: FieldReporter): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  const number = text !== null && DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!(number >= 0 && number <= 1)) report(field, `${JSON.stringify(value) ?? 'nothing'} is not a number from 0 to 1`);
  return number;
}

/**
 * Checks the three fields every EPSS row has, whether they came as CSV text or as JSON strings or numbers.
 * Returns null after reporting each bad field.
 */
export function readEpssFields(cve: unknown, epss: unknown, percentile: unknown, report: FieldReporter): Omit<EpssScore, 'date'> | null {
  let ok = true;
  const fail: FieldReporter = (field, detail) => {
    ok = false;
    report(field, detail);
  };
  const cveId = typeof cve === 'string' ? cve.trim() : '';
  if (!CVE_ID.test(cveId)) fail('cve', `${JSON.stringify(cve) ?? 'nothing'} is not a CVE id`);
  const scores = { epss: probability(epss, 'epss', fail), percentile: probability(percentile, 'percentile', fail) };
  return ok ? { cveId, ...scores } : null;
}

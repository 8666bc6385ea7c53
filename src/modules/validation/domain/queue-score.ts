/**
 * Where a cluster sits in the triage queue. score = severity × corroboration, where
 * - severity is the highest severity signal among the cluster's reports (see severity-signal.ts), or the
 *   policy's `unknownSeverity` when none states one;
 * - corroboration = 1 − Π (1 − pᵢ) over the distinct reporting organisations, pᵢ being each one's smoothed
 *   precision (beta-precision.ts): the chance that at least one of them is right, were they independent.
 *   One unknown reporter (prior mean 0.5) gives 0.5; two give 0.75; a reporter with precision 0.05 gives 0.05.
 * Higher scores first; among equal scores (to four decimals) the oldest cluster first, then by id.
 */

export interface ReporterPrecision {
  readonly orgId: string;
  readonly precision: number;
}

export interface QueueInput {
  readonly severity: number | null;
  readonly severitySource: string;
  readonly unknownSeverity: number;
  readonly reporters: readonly ReporterPrecision[];
  readonly firstSeenAt: string;
}

/** Why a cluster sits where it does, shown with each queue row. */
export interface QueueReason {
  readonly severity: { readonly value: number; readonly source: string };
  readonly corroboration: { readonly value: number; readonly reporters: readonly ReporterPrecision[] };
  /** The arithmetic, e.g. "0.98 severity × 0.75 corroboration = 0.735". */
  readonly formula: string;
}

export interface QueuePlacement {
  /** 0 to 1, four decimals. */
  readonly score: number;
  /** Sorts ascending into queue order: inverted score, then first-seen time. */
  readonly key: string;
  readonly why: QueueReason;
}

const SCALE = 10_000;
const round4 = (x: number): number => Math.round(x * SCALE) / SCALE;

export function corroboration(precisions: readonly number[]): number {
  return round4(1 - precisions.reduce((product, p) => product * (1 - p), 1));
}

export function placeInQueue(input: QueueInput): QueuePlacement {
  const severity = input.severity ?? input.unknownSeverity;
  const source = input.severity === null ? `${input.severitySource}; policy default ${input.unknownSeverity}` : input.severitySource;
  const c = corroboration(input.reporters.map((r) => r.precision));
  const score = round4(severity * c);
  const inverted = String(SCALE - Math.round(score * SCALE)).padStart(5, '0');
  return {
    score,
    key: `${inverted}|${input.firstSeenAt}`,
    why: {
      severity: { value: round4(severity), source },
      corroboration: { value: c, reporters: input.reporters },
      formula: `${round4(severity)} severity × ${c} corroboration = ${score}`,
    },
  };
}

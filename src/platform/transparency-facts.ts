import type { Executor } from './db/index.js';

/**
 * Monthly figures a module lends the public transparency report (issue 18, DESIGN §5 "Derived data"). The
 * module computes each from its own records, inside its own store, and answers aggregates only — a count, a
 * share or a median for a month, and how many records stand behind it — never an id, a name, a label or the
 * date of one record. Governance composes every module's figures into the report and withholds any figure
 * drawn from fewer records than its small-count threshold, so that no figure on the public page can be
 * traced back to one report, one case or one operator (a TLP:RED record included).
 */

/** How a figure reads: a count of records, a share between 0 and 1, or a median number of days. */
export const FIGURE_UNITS = ['count', 'share', 'days'] as const;
export type FigureUnit = (typeof FIGURE_UNITS)[number];

/** One month of one figure. */
export interface MonthlyFigure {
  /** `YYYY-MM`, UTC. */
  readonly month: string;
  /** The figure; null when no record stands behind it this month (a count is then 0). */
  readonly value: number | null;
  /** How many records it is drawn from (for a count: the count itself). */
  readonly n: number;
}

/** One figure a module lends, by month. */
export interface TransparencyFact {
  /** Unique across modules, camelCase: the JSON key and CSV column (`medianDaysToVendorNotification`). */
  readonly key: string;
  /** The chart's title on the public page. */
  readonly title: string;
  readonly unit: FigureUnit;
  /** What it measures and from which records, in a sentence (shown under the chart). */
  readonly note: string;
  /**
   * The figure for each month from `from` to `to` (`YYYY-MM`, inclusive) that has records behind it;
   * months it leaves out have none. Read-only, as the system: the answer is public once composed.
   */
  monthly(executor: Executor, range: { readonly from: string; readonly to: string }): Promise<readonly MonthlyFigure[]>;
}

/** `YYYY-MM` of an instant, in UTC. */
export function monthOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 7);
}

/** The first instant of a `YYYY-MM` month and of the month after `to`: the bounds of a range query. */
export function monthBounds(range: { readonly from: string; readonly to: string }): { readonly start: string; readonly end: string } {
  const [y, m] = range.to.split('-').map(Number) as [number, number];
  return { start: `${range.from}-01T00:00:00.000Z`, end: new Date(Date.UTC(y, m, 1)).toISOString() };
}

/**
 * Groups records by the month of `at`, and reduces each month's group to a figure: the helper every
 * module's {@link TransparencyFact.monthly} ends with, so that the grouping is written once.
 */
export function figuresByMonth<T>(
  items: readonly T[],
  at: (item: T) => string,
  reduce: (group: readonly T[]) => { readonly value: number | null; readonly n: number },
): MonthlyFigure[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = monthOf(at(item));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, group]) => ({ month, ...reduce(group) }));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from one instant to another. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY_MS;
}

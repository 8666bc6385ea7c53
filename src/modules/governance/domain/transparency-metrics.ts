import type { FigureUnit, MonthlyFigure } from '../../../platform/transparency-facts.js';

/**
 * Program metrics by month, for the public, composed from the figures the modules lend (platform
 * `TransparencyFact`): counts, shares and medians only — never an id, a name or a date of one record. A
 * month's share or median drawn from fewer than {@link MIN_GROUP} records is withheld (null, listed in
 * `suppressed`), and so is a count from 1 to MIN_GROUP − 1, so that no figure can be traced back to one
 * report, one case or one operator. The rule is applied here, whatever a module answered.
 */

export const MIN_GROUP = 3;

/** One figure's description, as the report lists it. */
export interface FigureSeries {
  readonly key: string;
  readonly title: string;
  readonly unit: FigureUnit;
  readonly note: string;
}

export interface MonthMetrics {
  readonly month: string;
  /** Every series' figure this month, by key; null when withheld or when no record stands behind it. */
  readonly figures: Readonly<Record<string, number | null>>;
  /** The figures withheld because too few records stand behind them. */
  readonly suppressed: readonly string[];
}

export interface TransparencyMetrics {
  readonly series: readonly FigureSeries[];
  readonly months: readonly MonthMetrics[];
  readonly minGroup: number;
}

/** Every month from `from` to `to` (both `YYYY-MM`, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One figure as published: withheld below the threshold; a count of none is 0, a share or median of none is null. */
function published(unit: FigureUnit, figure: MonthlyFigure | undefined): { value: number | null; withheld: boolean } {
  const n = figure === undefined || !Number.isFinite(figure.n) ? 0 : Math.max(0, Math.floor(figure.n));
  if (n === 0) return { value: unit === 'count' ? 0 : null, withheld: false };
  if (n < MIN_GROUP) return { value: null, withheld: true };
  if (unit === 'count') return { value: n, withheld: false };
  const value = figure?.value ?? null;
  return { value: value === null || !Number.isFinite(value) ? null : round2(value), withheld: false };
}

/**
 * The metrics of each month from `from` to `to`, one figure per lent series. A record counts in the month its
 * first event happened (the module decides which); a count is the number of records behind it, whatever value
 * the module gave.
 */
export function composeTransparency(input: {
  readonly from: string;
  readonly to: string;
  readonly lent: readonly { readonly series: FigureSeries; readonly figures: readonly MonthlyFigure[] }[];
}): TransparencyMetrics {
  const byMonth = input.lent.map(({ series, figures }) => ({ series, figures: new Map(figures.map((f) => [f.month, f])) }));
  const months = monthsBetween(input.from, input.to).map((month): MonthMetrics => {
    const figures: Record<string, number | null> = {};
    const suppressed: string[] = [];
    for (const { series, figures: lent } of byMonth) {
      const { value, withheld } = published(series.unit, lent.get(month));
      figures[series.key] = value;
      if (withheld) suppressed.push(series.key);
    }
    return { month, figures, suppressed };
  });
  return { series: input.lent.map((l) => l.series), months, minGroup: MIN_GROUP };
}

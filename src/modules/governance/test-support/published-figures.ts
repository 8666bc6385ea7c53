import type { Executor } from '../../../platform/db/index.js';
import type { TransparencyFact } from '../../../platform/transparency-facts.js';
import { composeTransparency } from '../domain/transparency-metrics.js';

/**
 * One lent figure as the public report shows it, month by month over `range`: the published value (null when
 * withheld or empty) and whether it was withheld for standing on too few records. For the seeded tests of
 * each module's `transparencyFacts`.
 */
export async function publishedFigure(
  fact: TransparencyFact,
  executor: Executor,
  range: { readonly from: string; readonly to: string },
): Promise<{ month: string; value: number | null; withheld: boolean }[]> {
  const { key, title, unit, note } = fact;
  const metrics = composeTransparency({
    ...range,
    lent: [{ series: { key, title, unit, note }, figures: await fact.monthly(executor, range) }],
  });
  return metrics.months.map((m) => ({ month: m.month, value: m.figures[key] ?? null, withheld: m.suppressed.includes(key) }));
}

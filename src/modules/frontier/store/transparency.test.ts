import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { publishedFigure } from '../../governance/test-support/published-figures.js';
import { registerModel } from '../service/models.js';
import { endReview, openReview, withdrawReview } from '../service/reviews.js';
import { sweepFrontier } from '../service/sweep.js';
import { frontierTransparencyFacts } from './transparency.js';

const opened = frontierTransparencyFacts.find((f) => f.key === 'modelReviewsOpened')!;
const used = frontierTransparencyFacts.find((f) => f.key === 'medianReviewDaysUsed')!;

async function review(t: TestRuntime, lab: TestUser, modelId: string, accessStart: string, days: number): Promise<string> {
  return (await openReview(t.as(lab), { modelId, accessStart, days, timeZone: 'UTC' })).id;
}

describeEachDatabase('what frontier lends the transparency report', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts the reviews opened in a month and the median days of window they used, none for one withdrawn before it opened', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const models = [];
    for (const name of ['Atlas', 'Boreas', 'Ceres', 'Dione', 'Eos'])
      models.push((await registerModel(t.as(lab), { name, version: '1.0', plannedRelease: '2026-12-01' })).id);
    const [atlas, boreas, ceres, dione, eos] = models as [string, string, string, string, string];
    // 2 June, noon: five reviews opened; Boreas's window opens on 4 June, Dione's on 20 June, Eos's on 25 June.
    const a = await review(t, lab, atlas, '2026-06-02T12:00:00Z', 30);
    const b = await review(t, lab, boreas, '2026-06-04T12:00:00Z', 30);
    await review(t, lab, ceres, '2026-06-02T12:00:00Z', 5);
    const d = await review(t, lab, dione, '2026-06-20T12:00:00Z', 30);
    await review(t, lab, eos, '2026-06-25T12:00:00Z', 30);
    // Dione's is withdrawn on 3 June, before its window opened: it used none of it.
    t.clock.set('2026-06-03T12:00:00.000Z');
    await withdrawReview(t.as(lab), d);
    // Atlas's is ended after 10 days; Boreas's after 20 days of its window; Ceres's ran its 5 days out.
    t.clock.set('2026-06-12T12:00:00.000Z');
    await endReview(t.as(lab), a);
    t.clock.set('2026-06-24T12:00:00.000Z');
    await endReview(t.as(lab), b);
    await sweepFrontier(t.system);
    // 5 July: Atlas again, ended after 2 days. Eos's still runs.
    t.clock.set('2026-07-05T12:00:00.000Z');
    const again = await review(t, lab, atlas, '2026-07-05T12:00:00Z', 30);
    t.clock.set('2026-07-07T12:00:00.000Z');
    await endReview(t.as(lab), again);

    const range = { from: '2026-06', to: '2026-08' };
    const db = t.runtime.db.kysely;
    expect(await opened.monthly(db, range)).toEqual([
      { month: '2026-06', value: 5, n: 5 },
      { month: '2026-07', value: 1, n: 1 },
    ]);
    // June: 10, 20 and 5 days (not Dione's, not Eos's): the median is 10. July: 2 days, one review.
    expect(await used.monthly(db, range)).toEqual([
      { month: '2026-06', value: 10, n: 3 },
      { month: '2026-07', value: 2, n: 1 },
    ]);
    // Published: July's review stands alone and is withheld in both figures.
    expect(await publishedFigure(opened, db, range)).toEqual([
      { month: '2026-06', value: 5, withheld: false },
      { month: '2026-07', value: null, withheld: true },
      { month: '2026-08', value: 0, withheld: false },
    ]);
    expect(await publishedFigure(used, db, range)).toEqual([
      { month: '2026-06', value: 10, withheld: false },
      { month: '2026-07', value: null, withheld: true },
      { month: '2026-08', value: null, withheld: false },
    ]);
  });
});

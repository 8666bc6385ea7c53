import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { distinctFinding, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from '../service/attempts.js';
import { setVerdict } from '../service/verdicts.js';
import { validationTransparencyFacts } from './transparency.js';

const DAY = 86_400_000;

describeEachDatabase('what validation lends the transparency report', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts the verdicts on clusters first reported in a month: shares and the median days to the verdict', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    // Four clusters first reported on 2 June at noon.
    const ids = await report(t, lab, [distinctFinding(), distinctFinding(), distinctFinding(), distinctFinding()], {
      shareWith: [agency.orgId],
    });
    // Reproduced after 2 and 4 days (valid), found invalid after 8 days; the fourth stays undecided.
    t.clock.advance(2 * DAY);
    await recordAttempt(t.as(agency), ids[0]!, reproduced());
    t.clock.advance(2 * DAY);
    await recordAttempt(t.as(agency), ids[1]!, reproduced());
    t.clock.advance(4 * DAY);
    await setVerdict(t.as(t.coordinatorAdmin), ids[2]!, { state: 'invalid', reason: 'false_positive', note: 'unreachable' });
    await t.runtime.jobs.drain();

    const figures = async (key: string, range = { from: '2026-05', to: '2026-07' }) =>
      validationTransparencyFacts.find((f) => f.key === key)!.monthly(t.runtime.db.kysely, range);
    expect(await figures('validShare')).toEqual([{ month: '2026-06', value: 2 / 3, n: 3 }]);
    expect(await figures('invalidShare')).toEqual([{ month: '2026-06', value: 1 / 3, n: 3 }]);
    // 2, 4 and 8 days: the median is 4.
    expect(await figures('medianDaysToValidation')).toEqual([{ month: '2026-06', value: 4, n: 3 }]);
    // A range that does not hold June has nothing.
    expect(await figures('validShare', { from: '2026-07', to: '2026-08' })).toEqual([]);
  });
});

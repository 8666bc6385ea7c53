import { expect, it } from 'vitest';
import { CRASH_AREAS } from './crash/areas/index.js';
import { runCrashAreas } from './crash/harness.js';
import { describeEachDatabase } from '#test-support/databases.js';

/**
 * DESIGN §4 "a crash at any point loses no accepted data and leaves no half state", the short version of
 * `npm run crash`: the real server is killed (SIGKILL) twice in the middle of the work of every area, started
 * again, and every area's invariants must hold once the pending work settled. The areas run at once on one
 * server (`npm run crash -- --together`): each kill waits until every area had work acknowledged in that
 * round, so it lands in the middle of each area's work, as when they ran one after the other, and costs one
 * server start for all five instead of five; the slow waits (a killed webhook delivery's 60 s lease) overlap.
 * The long run (50 kills per area) is `npm run crash -- --area all --kills 50 --db sqlite|pg`.
 */
describeEachDatabase('the server killed in the middle of work', (dialect) => {
  it('in every area: loses nothing acknowledged, leaves no half state, and finishes what was pending', async () => {
    const names = Object.keys(CRASH_AREAS);
    const reports = await runCrashAreas(
      names.map((name) => CRASH_AREAS[name]!()),
      { dialect, kills: 2, seed: 20 },
    );
    console.log(`crash [${dialect}], all areas at once: seconds ${JSON.stringify(reports[0]?.seconds)}`);
    expect(
      reports.map((r) => ({
        area: r.area,
        roundsWithAcknowledgedWork: r.counts.roundsWithAcknowledgedWork,
        settled: r.settled,
        failedInvariants: Object.entries(r.invariants)
          .filter(([, holds]) => !holds)
          .map(([name]) => name),
      })),
    ).toEqual(names.map((area) => ({ area, roundsWithAcknowledgedWork: 2, settled: true, failedInvariants: [] })));
  }, 900_000);
});

import { expect, inject, it } from 'vitest';
import { CRASH_AREAS } from './crash/areas/index.js';
import { runCrashArea } from './crash/harness.js';
import { describeEachDatabase } from '#test-support/databases.js';

/**
 * DESIGN §4 "a crash at any point loses no accepted data and leaves no half state", the short version of
 * `npm run crash`: in every area the real server is killed (SIGKILL) twice in the middle of work, started
 * again, and every invariant must hold once the pending work settled. The long run (50 kills per area) is
 * `npm run crash -- --area all --kills 50 --db sqlite|pg`.
 */
describeEachDatabase('the server killed in the middle of work', (dialect) => {
  for (const [name, area] of Object.entries(CRASH_AREAS)) {
    it(`${name}: loses nothing acknowledged, leaves no half state, and finishes what was pending`, async () => {
      const report = await runCrashArea(area(), {
        dialect,
        kills: 2,
        seed: 20,
        pgBase: dialect === 'postgres' ? (inject('pgUrl') ?? undefined) : undefined,
      });
      expect(report.counts.roundsWithAcknowledgedWork).toBe(2);
      expect(report.settled).toBe(true);
      expect(Object.entries(report.invariants).filter(([, holds]) => !holds)).toEqual([]);
    }, 900_000);
  }
});

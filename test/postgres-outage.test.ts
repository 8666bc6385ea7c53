import { expect, it } from 'vitest';
import { intakeArea } from './crash/areas/intake.js';
import { openCrashWorld, type CrashWorld } from './crash/harness.js';
import { PrivatePostgres } from './crash/private-postgres.js';
import { ServerProcess } from './crash/server-process.js';
import { cli } from '#test-support/cli.js';
import { seededRandom } from '#test-support/seeded-random.js';

const unavailable = PrivatePostgres.unavailable();
if (unavailable !== null) console.log(`postgres-outage: skipped: ${unavailable}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Readiness {
  readonly status: number | null;
  readonly type: string | null;
  readonly code: unknown;
}

async function readiness(server: ServerProcess): Promise<Readiness> {
  try {
    const response = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as { code?: unknown };
    return { status: response.status, type: response.headers.get('content-type'), code: body.code };
  } catch {
    return { status: null, type: null, code: null };
  }
}

/** Asks `/readyz` until it answers `status` (at most `tries` times, a quarter second apart); the last answer. */
async function readinessUntil(server: ServerProcess, status: number, tries = 240): Promise<Readiness> {
  let answer = await readiness(server);
  for (let i = 1; i < tries && answer.status !== status; i++) {
    await sleep(250);
    answer = await readiness(server);
  }
  return answer;
}

const total = (answers: Record<string, number>) => Object.values(answers).reduce((a, b) => a + b, 0);
const minus = (now: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(now)
      .map(([k, n]) => [k, n - (before[k] ?? 0)])
      .filter(([, n]) => n !== 0),
  );

async function until(condition: () => boolean | Promise<boolean>, tries = 1200): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Issue 20, faults: PostgreSQL stopped at once (`pg_ctl stop -m immediate`, as in a crash) and started again
 * while two server processes take submissions. While it is down both say so on `/readyz` (503 problem+json)
 * and every request is answered 503 — not 500, not a hang, and the servers stay up; once it is back they
 * reconnect by themselves, `/readyz` answers 200, every submission answered 2xx is stored and processed whole
 * (the crash harness's intake invariants), the background jobs cut short by the outage ran again, and the
 * audit chain verifies. On a private cluster, so that the outage touches no one else's database.
 */
it.skipIf(unavailable !== null)(
  'a PostgreSQL restart under load: readiness reports the outage, requests answer 503, nothing accepted is lost',
  async () => {
    const cluster = await PrivatePostgres.create();
    let world: (CrashWorld & { close(): Promise<void> }) | undefined;
    const second = { server: undefined as ServerProcess | undefined };
    try {
      world = await openCrashWorld('postgres', cluster.url);
      const area = intakeArea();
      await area.setup(world);
      const other = world.on(new ServerProcess(world.env));
      second.server = other.server;
      await Promise.all([world.server.start(), other.server.start()]);

      let stop = false;
      const loops = [world, world, other, other].map(async (w, i) => {
        const random = seededRandom(100 + i);
        while (!stop) {
          await area.drive(w, random);
          // Answers during the outage are immediate 503s: pace them so the loop does not spin.
          if (cluster.stopped) await sleep(50);
        }
      });
      const answers = world.answers;
      expect(await until(() => (answers.http201 ?? 0) >= 4)).toBe(true);

      await cluster.stop('immediate');
      const down = { ...answers };
      const readyWhileDown = await Promise.all([readinessUntil(world.server, 503), readinessUntil(other.server, 503)]);
      expect(await until(() => total(answers) - total(down) >= 20)).toBe(true);
      const duringOutage = minus(answers, down);

      await cluster.start();
      const readyAgain = await Promise.all([readinessUntil(world.server, 200), readinessUntil(other.server, 200)]);
      const back = { ...answers };
      expect(await until(() => (answers.http201 ?? 0) - (back.http201 ?? 0) >= 4)).toBe(true);
      stop = true;
      await Promise.all(loops);

      expect(readyWhileDown).toEqual([
        { status: 503, type: 'application/problem+json; charset=utf-8', code: 'database-unreachable' },
        { status: 503, type: 'application/problem+json; charset=utf-8', code: 'database-unreachable' },
      ]);
      // Requests in flight when it stopped may have been answered 201 before; every other answer is 503.
      expect(Object.keys(duringOutage).filter((k) => k !== 'http503' && k !== 'http201')).toEqual([]);
      expect(duringOutage.http503 ?? 0).toBeGreaterThan(0);
      expect(readyAgain.map((r) => r.status)).toEqual([200, 200]);
      expect([world.server.running, other.server.running]).toEqual([true, true]);

      expect(await until(() => area.settled(world!), 600)).toBe(true);
      const { invariants, counts } = await area.check(world);
      expect(Object.entries(invariants).filter(([, holds]) => !holds)).toEqual([]);
      expect(counts.accepted).toBeGreaterThanOrEqual(8);
      await Promise.all([world.server.stop(), other.server.stop()]);
      expect((await cli(world.env, 'audit', 'verify')).code).toBe(0);
    } finally {
      await second.server?.kill();
      await world?.close();
      await cluster.destroy();
    }
  },
  600_000,
);

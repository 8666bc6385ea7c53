import { utimesSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../support/cli.js';
import type { Dialect } from '../support/databases.js';
import { filesBelow } from '../support/files.js';
import { createTestRuntime, type TestRuntime } from '../support/runtime.js';
import { seededRandom } from '../support/seeded-random.js';
import { ServerProcess, request, type HttpAnswer } from './server-process.js';

/**
 * The crash-injection harness: the real server in a child process, work driven at it over HTTP, SIGKILL
 * at seeded random moments, a restart, and the invariants checked once everything settled. One area (what
 * work is driven and what must hold afterwards) is a {@link CrashArea}; the harness is the same for all.
 */

/** What an area works with: the database through an in-process runtime (setup and checks), and the server. */
export interface CrashWorld extends TestRuntime {
  readonly dialect: Dialect;
  readonly server: ServerProcess;
  /** A request to the running server as `token`; `null` when no answer came (so nothing may count as accepted). */
  call(token: string | null, method: string, path: string, body?: unknown, contentType?: string): Promise<HttpAnswer | null>;
  /** Sets the in-process clock to now (the server runs on real time; what the harness writes must too). */
  now(): void;
  /** The server's environment (its database and data directory). */
  readonly env: Record<string, string>;
  /** HTTP answers by status (`httpNone`: no answer), for the report. */
  readonly answers: Record<string, number>;
  /** The same world driving another server process on the same database. */
  on(server: ServerProcess): CrashWorld;
}

/**
 * A fresh database (SQLite file, or a schema in `pgBase`) with an in-process runtime and the coordinator,
 * and a server process for it that is not started yet. `close` kills the server and drops the database.
 */
export async function openCrashWorld(dialect: Dialect, pgBase?: string): Promise<CrashWorld & { close(): Promise<void> }> {
  const extra = { CLEARINGHOUSE_RATE_LIMIT: '10000000' };
  const t = await createTestRuntime(dialect, extra, { pgBase });
  const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir, ...extra };
  const answers: Record<string, number> = {};
  const on = (server: ServerProcess): CrashWorld => ({
    ...t,
    dialect,
    server,
    env,
    answers,
    on,
    call: async (token, method, p, body, contentType) => {
      const base = server.address;
      const answer = base === null ? null : await request(base, token, method, p, body, contentType);
      const key = `http${answer?.status ?? 'None'}`;
      answers[key] = (answers[key] ?? 0) + 1;
      if (answer !== null && answer.status >= 500 && process.env.CRASH_DEBUG) console.error(p, JSON.stringify(answer.body));
      return answer;
    },
    now: () => t.clock.set(new Date()),
  });
  const world = on(new ServerProcess(env));
  // Tokens made from here on must not have expired by the server's real clock.
  world.now();
  return {
    ...world,
    close: async () => {
      await world.server.kill();
      await t.runtime.close();
      await t.database.drop();
    },
  };
}

export interface CrashArea {
  readonly name: string;
  /** How many driver loops run at once (default 3). */
  readonly concurrency?: number;
  setup(world: CrashWorld): Promise<void>;
  /**
   * One unit of work; records what the server acknowledged and answers whether it did. Called in loops
   * while the server is up.
   */
  drive(world: CrashWorld, random: () => number): Promise<boolean>;
  /** True once the pending work is done (polled after the last restart). */
  settled(world: CrashWorld): Promise<boolean>;
  /** The area's invariants, each true when it holds, and counts for the report. */
  check(world: CrashWorld): Promise<{ invariants: Record<string, boolean>; counts: Record<string, number> }>;
  /** Releases what setup opened (a webhook receiver). */
  close?(): Promise<void>;
}

export interface CrashOptions {
  readonly dialect: Dialect;
  readonly kills: number;
  readonly seed: number;
  /** The PostgreSQL database to make the run's schema in (tests: the run's; the script: its own). */
  readonly pgBase?: string;
  /** Longest wait for pending work after the last restart. Default 5 minutes (leases of killed work run out). */
  readonly settleMs?: number;
  /** Called after each kill (progress). */
  readonly onKill?: (done: number) => void;
}

export interface CrashReport {
  readonly area: string;
  readonly db: Dialect;
  readonly seed: number;
  readonly kills: number;
  readonly settled: boolean;
  readonly invariants: Record<string, boolean>;
  readonly counts: Record<string, number>;
  readonly ok: boolean;
}

/**
 * The moment of a kill: 0 to 2 s (drawn from the seed) after the first work of the round was acknowledged,
 * so that every round kills the server in the middle of work, however slow the machine is.
 */
const killDelayMs = (random: () => number) => Math.floor(random() * 2000);
/** A round whose work is never acknowledged is killed after this long anyway. */
const FIRST_ACK_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one area: setup, `kills` rounds of drive-and-SIGKILL, a last start, settle, invariants. */
export async function runCrashArea(area: CrashArea, options: CrashOptions): Promise<CrashReport> {
  const world = await openCrashWorld(options.dialect, options.pgBase);
  const { server, env, answers } = world;
  const random = seededRandom(options.seed);
  const rounds = { acknowledged: 0 };
  try {
    world.now();
    await area.setup(world);
    for (let k = 0; k < options.kills; k++) {
      await server.start();
      let stopped = false;
      let acknowledged = false;
      const loops = Array.from({ length: area.concurrency ?? 3 }, async (_, i) => {
        const own = seededRandom(options.seed * 1000 + k * 10 + i);
        while (!stopped && server.address !== null) if (await area.drive(world, own)) acknowledged = true;
      });
      const waitUntil = Date.now() + FIRST_ACK_TIMEOUT_MS;
      while (!acknowledged && Date.now() < waitUntil) await sleep(20);
      rounds.acknowledged += acknowledged ? 1 : 0;
      await sleep(killDelayMs(random));
      await server.kill();
      stopped = true;
      await Promise.all(loops);
      options.onKill?.(k + 1);
    }
    await server.start();
    const deadline = Date.now() + (options.settleMs ?? 300_000);
    let settled = false;
    while (!(settled = await area.settled(world)) && Date.now() < deadline) await sleep(250);
    await server.stop();

    // Checked after the blob sweep a day later would run (the purge leaves blobs stored within the sweep's
    // grace to it): each area's invariants then include that the sweep kept every blob a record refers to.
    const past = new Date(Date.now() - 2 * 3600_000);
    for (const f of filesBelow(world.database.dir)) if (f.includes(`${path.sep}blobs${path.sep}`)) utimesSync(f, past, past);
    const debris = filesBelow(world.database.dir).filter((f) => f.endsWith('.tmp')).length;
    const sweep = await cli({ ...env, CLEARINGHOUSE_BLOB_SWEEP_GRACE_HOURS: '1' }, 'blobs', 'sweep', '--json');
    const { invariants, counts } = await area.check(world);
    invariants.sweepRuns = sweep.code === 0;
    invariants.noTemporaryFilesAfterSweep = filesBelow(world.database.dir).every((f) => !f.endsWith('.tmp'));
    invariants.auditChainVerifies = (await cli(env, 'audit', 'verify')).code === 0;

    const report = {
      area: area.name,
      db: options.dialect,
      seed: options.seed,
      kills: options.kills,
      settled,
      invariants,
      counts: { ...counts, ...answers, roundsWithAcknowledgedWork: rounds.acknowledged, temporaryFilesBeforeSweep: debris },
      ok: settled && rounds.acknowledged === options.kills && Object.values(invariants).every(Boolean),
    };
    if (!report.ok && process.env.CRASH_DEBUG) console.error(server.tail);
    return report;
  } finally {
    await area.close?.();
    await world.close();
  }
}

/** Counts rows of `table` matching the optional filter, as a number on both dialects. */
export async function countRows(world: CrashWorld, table: string, where?: [string, string, unknown]): Promise<number> {
  let query = world.runtime.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (where) query = query.where(where[0], where[1] as '=', where[2]);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** True when no job of these kinds (prefixes) is queued or running. */
export async function jobsIdle(world: CrashWorld, kindPrefixes: readonly string[]): Promise<boolean> {
  const open = await world.runtime.db.kysely
    .selectFrom('platform_job')
    .select(['kind', 'run_at'])
    .where('status', 'in', ['queued', 'running'])
    .execute();
  return !open.some((j) => kindPrefixes.some((p) => String(j.kind).startsWith(p)));
}

export type { HttpAnswer };

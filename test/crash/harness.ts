import { utimesSync } from 'node:fs';
import path from 'node:path';
import { cli } from '#test-support/cli.js';
import type { Dialect } from '#test-support/databases.js';
import { filesBelow } from '#test-support/files.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { seededRandom } from '#test-support/seeded-random.js';
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
  /**
   * The same world driving another server process on the same database; its answers are counted with
   * this world's, or in `answers` (areas driven at once keep their own counts).
   */
  on(server: ServerProcess, answers?: Record<string, number>): CrashWorld;
}

/**
 * A fresh database (SQLite file, or a schema in `pgBase`) with an in-process runtime and the coordinator,
 * and a server process for it that is not started yet. `close` kills the server and drops the database.
 */
export async function openCrashWorld(dialect: Dialect, pgBase?: string): Promise<CrashWorld & { close(): Promise<void> }> {
  const extra = { CLEARINGHOUSE_RATE_LIMIT: '10000000' };
  const t = await createTestRuntime(dialect, extra, { pgBase });
  const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir, ...extra };
  const on = (server: ServerProcess, answers: Record<string, number> = {}): CrashWorld => ({
    ...t,
    dialect,
    server,
    env,
    answers,
    on: (other, own) => on(other, own ?? answers),
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
  /** Where the run's time went, in seconds: starts, waits for the first acknowledged work, kill delays, kills, settling, checks. */
  readonly seconds: Record<string, number>;
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
  return (await runCrashAreas([area], options))[0]!;
}

/**
 * Runs several areas on one server at once: each round drives the work of every area and kills the server
 * once each of them has had work acknowledged, so that every kill lands in the middle of every area's work
 * (and a kill costs one server start for all of them, the slow part of a round). Each area keeps its own
 * acknowledged work, counts and invariants; the shared ones (blob sweep, audit chain) are checked once and
 * reported with each. One report per area, in the order given.
 */
export async function runCrashAreas(areas: readonly CrashArea[], options: CrashOptions): Promise<CrashReport[]> {
  const world = await openCrashWorld(options.dialect, options.pgBase);
  const { server, env } = world;
  const random = seededRandom(options.seed);
  const own = areas.map((area) => ({ area, world: world.on(server, {}), acknowledgedRounds: 0, settled: false }));
  const spent: Record<string, number> = { setup: 0, start: 0, firstAck: 0, killDelay: 0, kill: 0, settle: 0, check: 0 };
  let mark = Date.now();
  const lap = (phase: string) => {
    const now = Date.now();
    spent[phase] = (spent[phase] ?? 0) + (now - mark) / 1000;
    mark = now;
  };
  try {
    world.now();
    for (const a of own) await a.area.setup(a.world);
    lap('setup');
    for (let k = 0; k < options.kills; k++) {
      await server.start();
      lap('start');
      let stopped = false;
      const acknowledged = own.map(() => false);
      const loops = own.flatMap((a, j) =>
        Array.from({ length: a.area.concurrency ?? 3 }, async (_, i) => {
          // One area alone draws what it drew before areas ran together (the same seeds, the same work).
          const drawn = seededRandom(options.seed * 1000 + k * 10 + i + j * 1_000_000);
          while (!stopped && server.address !== null) if (await a.area.drive(a.world, drawn)) acknowledged[j] = true;
        }),
      );
      const waitUntil = Date.now() + FIRST_ACK_TIMEOUT_MS;
      while (!acknowledged.every(Boolean) && Date.now() < waitUntil) await sleep(20);
      for (const [j, a] of own.entries()) a.acknowledgedRounds += acknowledged[j] ? 1 : 0;
      lap('firstAck');
      await sleep(killDelayMs(random));
      lap('killDelay');
      await server.kill();
      stopped = true;
      await Promise.all(loops);
      lap('kill');
      options.onKill?.(k + 1);
    }
    await server.start();
    lap('start');
    const deadline = Date.now() + (options.settleMs ?? 300_000);
    for (;;) {
      for (const a of own) a.settled = await a.area.settled(a.world);
      if (own.every((a) => a.settled) || Date.now() >= deadline) break;
      await sleep(250);
    }
    await server.stop();
    lap('settle');

    // Checked after the blob sweep a day later would run (the purge leaves blobs stored within the sweep's
    // grace to it): each area's invariants then include that the sweep kept every blob a record refers to.
    const past = new Date(Date.now() - 2 * 3600_000);
    for (const f of filesBelow(world.database.dir)) if (f.includes(`${path.sep}blobs${path.sep}`)) utimesSync(f, past, past);
    const debris = filesBelow(world.database.dir).filter((f) => f.endsWith('.tmp')).length;
    const sweep = await cli({ ...env, CLEARINGHOUSE_BLOB_SWEEP_GRACE_HOURS: '1' }, 'blobs', 'sweep', '--json');
    if (sweep.code !== 0 && process.env.CRASH_DEBUG) console.error('blobs sweep:', sweep.stdout, sweep.stderr);
    const shared = {
      sweepRuns: sweep.code === 0,
      noTemporaryFilesAfterSweep: filesBelow(world.database.dir).every((f) => !f.endsWith('.tmp')),
      auditChainVerifies: (await cli(env, 'audit', 'verify')).code === 0,
    };
    const reports: CrashReport[] = [];
    for (const a of own) {
      const { invariants, counts } = await a.area.check(a.world);
      Object.assign(invariants, shared);
      reports.push({
        area: a.area.name,
        db: options.dialect,
        seed: options.seed,
        kills: options.kills,
        settled: a.settled,
        invariants,
        counts: { ...counts, ...a.world.answers, roundsWithAcknowledgedWork: a.acknowledgedRounds, temporaryFilesBeforeSweep: debris },
        seconds: {},
        ok: a.settled && a.acknowledgedRounds === options.kills && Object.values(invariants).every(Boolean),
      });
    }
    lap('check');
    const seconds = Object.fromEntries(Object.entries(spent).map(([phase, t]) => [phase, Math.round(t * 10) / 10]));
    if (reports.some((r) => !r.ok) && process.env.CRASH_DEBUG) console.error(server.tail);
    return reports.map((r) => ({ ...r, seconds }));
  } finally {
    for (const a of own) await a.area.close?.();
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

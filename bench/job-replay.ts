import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { allConsumers } from '../src/app/modules.js';
import { openRuntime } from '../src/app/runtime.js';
import { loadConfig } from '../src/platform/config.js';
import { eventJobHandlers } from '../src/platform/events/index.js';
import type { Job } from '../src/platform/jobs/index.js';
import { silentLogger } from '../src/platform/log.js';
import { sampled } from './cpu-stages.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';

// The kit of the benches that replay queued background jobs on copies of one seeded database (exposure, jobs).

/**
 * Advisories the replay benches (exposure, jobs) load before the soak's writes: ~4.5 for each of the soak's
 * packages, so that an SBOM upload changes the exposure of ~45 advisories (the soak's ~46).
 */
export const SEED_ADVISORIES = 900;

export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Runs `run` on a fresh database of each dialect asked for (both by default), dropped after; PostgreSQL skipped where none answers. */
export async function onEachDatabase(
  label: string,
  databases: readonly ('sqlite' | 'postgres')[] = ['sqlite', 'postgres'],
  run: (database: BenchDatabase) => Promise<void>,
): Promise<void> {
  for (const dialect of databases) {
    const db = dialect === 'sqlite' ? benchSqlite(label) : await benchPostgres(label);
    if (db === null) continue;
    try {
      await run(db);
    } finally {
      await db.drop();
    }
  }
}

/** A copy of the seeded database to replay on, and how to throw it away. */
export interface Copy {
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** A copy of `database` (its data directory, and on PostgreSQL a database made from it as a template), the `n`th. */
export async function copyOf(database: BenchDatabase, n: number): Promise<Copy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-bench-replay-copy-'));
  cpSync(database.env.CLEARINGHOUSE_DATA_DIR ?? '', dir, { recursive: true });
  const url = database.env.DATABASE_URL;
  if (url === undefined) return { env: { CLEARINGHOUSE_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  const source = new URL(url);
  const name = `${source.pathname.slice(1)}_r${n}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`create database ${name} template ${source.pathname.slice(1)}`);
  return {
    env: { CLEARINGHOUSE_DATA_DIR: dir, DATABASE_URL: Object.assign(new URL(url), { pathname: `/${name}` }).toString() },
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counting = false;
let statements = 0;
/** With BENCH_STATEMENTS=1, each statement's text and how often the replay ran it, printed on stderr. */
const texts = process.env.BENCH_STATEMENTS === '1' ? new Map<string, number>() : null;
const counted = (text: unknown) => {
  statements++;
  if (texts !== null && typeof text === 'string') texts.set(text.slice(0, 300), (texts.get(text.slice(0, 300)) ?? 0) + 1);
};
// Statements run while counting: each pg query is a round trip; on SQLite, each run of a (cached) statement.
const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  if (counting) counted(args[0]);
  return pgQuery.apply(this, args);
} as typeof pg.Client.prototype.query;
const prepare = Database.prototype.prepare;
let statementsCounted = false;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  const statement = prepare.call(this, source);
  if (!statementsCounted) {
    // better-sqlite3 does not export its Statement class: its methods are wrapped on the first one's prototype.
    statementsCounted = true;
    const proto = Object.getPrototypeOf(statement) as Record<string, (...a: unknown[]) => unknown>;
    for (const method of ['all', 'run', 'get', 'iterate'] as const) {
      const original = proto[method] as (...a: unknown[]) => unknown;
      proto[method] = function (this: unknown, ...a: unknown[]) {
        if (counting) counted((this as { source?: string }).source);
        return original.apply(this, a);
      };
    }
  }
  return statement;
} as typeof Database.prototype.prepare;

/** What replaying one kind's jobs cost, per job. */
export interface Replayed {
  readonly jobs: number;
  readonly cpuMs: number;
  /** PostgreSQL's backends' CPU ms per job; null on SQLite (its work is the process's). */
  readonly serverCpuMs: number | null;
  readonly statements: number;
  readonly load: string;
}

/**
 * Runs the queued jobs of `kind` in a fresh copy of `database` through the handlers the job runner has (every
 * module's consumers), one after the other, as one lane would: this process's CPU, PostgreSQL's, and the
 * statements sent, per job. With `group` above 1, a kind that takes several jobs at once (a GroupedJobHandler)
 * is given them `group` at a time, as a runner that claimed that many of them together does. The jobs they
 * queue are left queued; the runner's own statements (claims, completions) are not counted.
 */
export async function replayQueued(database: BenchDatabase, kind: string, n: number, group = 1): Promise<Replayed> {
  const copy = await copyOf(database, n);
  const runtime = await openRuntime(loadConfig({ ...copy.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const handlers = eventJobHandlers(allConsumers({ contextFor: runtime.contextFor, config: runtime.config }), runtime.db.kysely);
    const handler = handlers[kind];
    if (handler === undefined) throw new Error(`no handler for jobs of kind ${kind}`);
    const rows = await runtime.db.kysely
      .selectFrom('platform_job')
      .select(['id', 'payload'])
      .where('kind', '=', kind)
      .where('status', '=', 'queued')
      .orderBy('id')
      .execute();
    const jobs: Job[] = rows.map((row) => ({
      id: row.id,
      kind,
      payload: JSON.parse(row.payload) as unknown,
      attempt: 1,
      maxAttempts: 5,
      leaseOwner: 'bench',
      leaseExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    }));
    const url = copy.env.DATABASE_URL;
    const serverBefore = url === undefined ? null : await serverCpu(url);
    const load = loadAverage();
    statements = 0;
    counting = true;
    const start = cpuMs();
    const run = async () => {
      if (typeof handler === 'function') for (const job of jobs) await handler(job);
      else if (group <= 1) for (const job of jobs) await handler.one(job);
      else for (let i = 0; i < jobs.length; i += group) await handler.many(jobs.slice(i, i + group));
    };
    // With BENCH_PROFILE=<dir>, the replay's V8 CPU profile is written there (open it in Chrome's DevTools).
    const profiles = process.env.BENCH_PROFILE;
    try {
      if (profiles === undefined) await run();
      else {
        const { profile } = await sampled(500, run);
        const file = path.join(profiles, `${kind.replace(/[^a-z.-]/gi, '_')}-${database.dialect}-${n}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        console.error(`profile: ${file}`);
      }
    } finally {
      counting = false;
    }
    const cpu = cpuMs() - start;
    if (texts !== null) {
      console.error(`${kind}, ${jobs.length} jobs${group > 1 ? `, ${group} at a time` : ''}:`);
      for (const [text, times] of [...texts].sort((a, b) => b[1] - a[1])) console.error(`  ${(times / jobs.length).toFixed(2)}× ${text}`);
      texts.clear();
    }
    const server = url === undefined || serverBefore === null ? null : serverCpuBetween(serverBefore, await serverCpu(url));
    const per = (v: number) => v / Math.max(1, jobs.length);
    return {
      jobs: jobs.length,
      cpuMs: per(cpu),
      serverCpuMs: server === null ? null : per(server * 1000),
      statements: per(statements),
      load,
    };
  } finally {
    await runtime.close();
    await copy.drop();
  }
}

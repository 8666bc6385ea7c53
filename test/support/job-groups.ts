import { sql, type Kysely } from 'kysely';
import { allConsumers, allJobHandlers } from '../../src/app/modules.js';
import { eventJobHandlers } from '../../src/platform/events/index.js';
import { JobRunner, type Job } from '../../src/platform/jobs/index.js';
import { ownTables } from './introspection.js';
import { testLogger } from './run-logs.js';
import type { TestRuntime } from './runtime.js';

/** Every table's rows, each as canonical JSON, sorted: the whole state of a test's database. */
export type DatabaseState = Record<string, string[]>;

interface Snapshot {
  readonly rows: Map<string, Record<string, unknown>[]>;
  readonly ids: Set<string>;
}

/** An id as newId makes it (`prefix_` and a ULID): ids made after a snapshot differ from run to run. */
const ID = /\b[a-z][a-z0-9]*_[0-9A-HJKMNP-TV-Z]{26}\b/g;

const canonical = (row: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))), (_, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );

async function snapshot(db: Kysely<unknown>): Promise<Snapshot> {
  const rows = new Map<string, Record<string, unknown>[]>();
  const ids = new Set<string>();
  for (const table of await ownTables(db)) {
    const all = (await db
      .selectFrom(table.name as never)
      .selectAll()
      .execute()) as Record<string, unknown>[];
    rows.set(table.name, all);
    for (const row of all) for (const id of canonical(row).match(ID) ?? []) ids.add(id);
  }
  return { rows, ids };
}

/** The state as rows, with the ids made since `before` written `<new>`: which new id a row got is no difference. */
function stateSince(before: Snapshot, now: Snapshot): DatabaseState {
  const state: DatabaseState = {};
  for (const [table, rows] of now.rows)
    state[table] = rows.map((row) => canonical(row).replace(ID, (id) => (before.ids.has(id) ? id : '<new>'))).sort();
  return state;
}

/** Puts back the rows of `before` in every table whose rows changed since, foreign keys unchecked meanwhile. */
async function restore(t: TestRuntime, before: Snapshot): Promise<void> {
  const db = t.runtime.db.kysely as Kysely<unknown>;
  const now = await snapshot(db);
  const changed = [...before.rows].filter(([table, rows]) => {
    const after = now.rows.get(table) ?? [];
    return rows.length !== after.length || rows.map(canonical).sort().join('\n') !== after.map(canonical).sort().join('\n');
  });
  const postgres = t.database.dialect === 'postgres';
  if (!postgres) await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      // Without the foreign keys' triggers and cascades: each changed table is written back whole.
      if (postgres) await sql`set local session_replication_role = replica`.execute(trx);
      for (const [table, rows] of changed) {
        await trx.deleteFrom(table as never).execute();
        for (let i = 0; i < rows.length; i += 50)
          await trx
            .insertInto(table as never)
            .values(rows.slice(i, i + 50) as never)
            .execute();
      }
    });
  } finally {
    if (!postgres) await sql`pragma foreign_keys = on`.execute(db);
  }
}

export interface GroupedAndAlone {
  /** The database after the kind's due jobs ran in groups, as a runner claiming `batch` at a time groups them. */
  readonly grouped: DatabaseState;
  /** The database after the same jobs ran one by one, from the same state. */
  readonly alone: DatabaseState;
  /** The size of each group the grouped run handed over. */
  readonly groups: number[];
}

/**
 * Runs the due jobs of `kind` (an event consumer's or a module's, whose handler takes several jobs at once) twice from the same state:
 * in groups, as the job runner claims and groups them `batch` at a time, then, with the database put back,
 * each with the kind's one-job handler. Only that kind runs: the jobs it queues stay queued, so that both
 * runs write the audit chain in the same order. Answers the state after each (new ids masked) for a test to
 * compare: a grouped handler must leave what its jobs leave one by one.
 */
export async function runGroupedAndAlone(t: TestRuntime, kind: string, batch = 16): Promise<GroupedAndAlone> {
  const deps = { contextFor: t.runtime.contextFor, config: t.runtime.config };
  const handler = { ...eventJobHandlers(allConsumers(deps), t.runtime.db.kysely), ...allJobHandlers(deps) }[kind];
  if (handler === undefined || typeof handler === 'function') throw new Error(`${kind} has no handler of several jobs`);
  const db = t.runtime.db.kysely as Kysely<unknown>;
  const groups: number[] = [];
  const run = async (grouped: boolean): Promise<DatabaseState> => {
    const many = async (jobs: readonly Job[]) => {
      groups.push(jobs.length);
      await handler.many(jobs);
    };
    const runner = new JobRunner({
      db: t.runtime.db,
      clock: t.clock,
      log: testLogger(),
      batch,
      handlers: { [kind]: grouped ? { one: handler.one, many } : handler.one },
    });
    await runner.drain();
    return stateSince(before, await snapshot(db));
  };
  const before = await snapshot(db);
  const grouped = await run(true);
  await restore(t, before);
  const alone = await run(false);
  return { grouped, alone, groups };
}

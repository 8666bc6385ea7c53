import { sql } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import { withTransaction, type AnyKysely, type Database } from './database.js';
import { forgetColumnTypes } from './insert-many.js';

/** One schema change of one module. Names sort in the order they must run (`0001_init`, `0002_…`). */
export interface Migration {
  readonly name: string;
  up(db: AnyKysely, caps: DialectCapabilities): Promise<void>;
}

/** A module's migrations, in order. Modules are run in the order the composition root lists them. */
export interface ModuleMigrations {
  readonly module: string;
  readonly migrations: readonly Migration[];
}

const MIGRATION_LOCK_KEY = 7_301_662_026;

function qualifiedNames(modules: readonly ModuleMigrations[]): string[] {
  const names: string[] = [];
  for (const { module, migrations } of modules) {
    let previous = '';
    for (const migration of migrations) {
      if (migration.name <= previous) throw new Error(`migrations of ${module} are out of order at ${migration.name}`);
      previous = migration.name;
      names.push(`${module}/${migration.name}`);
    }
  }
  if (new Set(names).size !== names.length) throw new Error('two migrations share a name');
  return names;
}

async function ensureMigrationTable(db: AnyKysely, caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createTable('platform_migration')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', caps.types.timestamp, (c) => c.notNull())
    .execute();
}

async function appliedNames(db: AnyKysely): Promise<Set<string>> {
  const rows = await db.selectFrom('platform_migration').select('name').execute();
  return new Set(rows.map((r: { name: string }) => r.name));
}

/** Names of migrations not yet applied; an empty list means the schema is current. */
export async function pendingMigrations(db: Database, modules: readonly ModuleMigrations[]): Promise<string[]> {
  const names = qualifiedNames(modules);
  let applied: Set<string>;
  try {
    applied = await appliedNames(db.kysely);
  } catch {
    return names;
  }
  return names.filter((name) => !applied.has(name));
}

/**
 * Applies every pending migration, in one transaction, holding a lock so that several processes starting
 * together apply each migration once. Returns the names it applied.
 */
export async function runMigrations(
  db: Database,
  modules: readonly ModuleMigrations[],
  now: () => Date = () => new Date(),
): Promise<string[]> {
  qualifiedNames(modules);
  const done = await withTransaction(db, async (trx) => {
    if (db.caps.advisoryLocks) await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await ensureMigrationTable(trx, db.caps);
    const applied = await appliedNames(trx);
    const done: string[] = [];
    for (const { module, migrations } of modules) {
      for (const migration of migrations) {
        const name = `${module}/${migration.name}`;
        if (applied.has(name)) continue;
        await migration.up(trx, db.caps);
        await trx.insertInto('platform_migration').values({ name, applied_at: now().toISOString() }).execute();
        done.push(name);
      }
    }
    return done;
  });
  // A migration may have changed the type of a column inserts into this database had asked for.
  if (done.length > 0) forgetColumnTypes(db.kysely);
  return done;
}

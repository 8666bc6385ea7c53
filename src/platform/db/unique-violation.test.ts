import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ConflictError, DuplicateKeyError } from '../errors.js';
import { asDuplicateKeyError, withTransaction, type Database } from './database.js';
import { runMigrations, type ModuleMigrations } from './migrations.js';

const sample: ModuleMigrations = {
  module: 'sample',
  migrations: [
    {
      name: '0001_keys',
      async up(db) {
        await db.schema
          .createTable('sample_key')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('org', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addUniqueConstraint('sample_key_org_name', ['org', 'name'])
          .execute();
      },
    },
  ],
};

const row = (id: string, email: string, org: string, name: string) => ({ id, email, org, name });

describeEachDatabase('unique violations', (dialect) => {
  const get = useTestDatabase(dialect, []);
  let db: Database;

  beforeEach(async () => {
    db = get().db;
    await runMigrations(db, [sample]);
    await db.kysely
      .insertInto('sample_key')
      .values(row('k1', 'a@example.org', 'org1', 'Alpha'))
      .execute();
  });

  async function violation(values: ReturnType<typeof row>) {
    const error = await db.kysely
      .insertInto('sample_key')
      .values(values)
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    return db.caps.uniqueViolation(error);
  }

  it('are recognised by the driver error, naming the table and the key columns, never the values', async () => {
    expect(await violation(row('k1', 'b@example.org', 'org2', 'Beta'))).toMatchObject({ table: 'sample_key', columns: ['id'] });
    expect(await violation(row('k2', 'a@example.org', 'org2', 'Beta'))).toMatchObject({ table: 'sample_key', columns: ['email'] });
    expect(await violation(row('k2', 'b@example.org', 'org1', 'Alpha'))).toMatchObject({
      table: 'sample_key',
      columns: ['org', 'name'],
    });
    expect(db.caps.uniqueViolation(new Error('UNIQUE constraint failed: x.y'))).toBeUndefined();
    expect(db.caps.uniqueViolation(null)).toBeUndefined();
  });

  it('inside a transaction become a 409 DuplicateKeyError naming the fields, and nothing is written', async () => {
    const error = await withTransaction(db, async (trx) => {
      await trx
        .insertInto('sample_key')
        .values(row('k2', 'b@example.org', 'org2', 'Beta'))
        .execute();
      await trx
        .insertInto('sample_key')
        .values(row('k3', 'b@example.org', 'org3', 'Gamma'))
        .execute();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateKeyError);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'duplicate-key', fields: ['email'] });
    expect((error as Error).message).toContain('sample_key (email)');
    expect((error as Error).message).not.toContain('b@example.org');
    expect(await db.kysely.selectFrom('sample_key').select('id').execute()).toEqual([{ id: 'k1' }]);
    expect(asDuplicateKeyError(db.caps, new Error('other'))).toBeInstanceOf(Error);
  });

  it('replays the work once when asked, so that the loser of a race answers as a later request would', async () => {
    // The first run plays the loser: its check passed before the winner's row existed, its insert then fails.
    let runs = 0;
    const register = (email: string) =>
      withTransaction(
        db,
        async (trx) => {
          runs += 1;
          if (runs > 1 && (await trx.selectFrom('sample_key').select('id').where('email', '=', email).executeTakeFirst()))
            throw new ConflictError(`${email} is taken`, { code: 'email-taken' });
          await trx
            .insertInto('sample_key')
            .values(row(`k${runs + 10}`, email, `org${runs}`, 'Delta'))
            .execute();
        },
        { replayOnUniqueViolation: true },
      );
    await expect(register('a@example.org')).rejects.toMatchObject({ code: 'email-taken' });
    expect(runs).toBe(2);
  });
});

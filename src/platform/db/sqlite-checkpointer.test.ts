import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '#test-support/spawn.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A WAL database whose own connection never checkpoints, with `megabytes` of committed rows in its log. */
function databaseWithLog(megabytes: number): { file: string; handle: BetterSqlite3.Database } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-checkpointer-'));
  dirs.push(dir);
  const file = path.join(dir, 'db.sqlite');
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('wal_autocheckpoint = 0');
  handle.exec('create table filler (id integer primary key, text text not null)');
  const insert = handle.prepare('insert into filler (text) values (?)');
  const row = 'x'.repeat(1000);
  for (let i = 0; i < megabytes * 1000; i++) insert.run(row);
  return { file, handle };
}

it('copies the committed log into the database file from its own thread, and ends when closed', async () => {
  const { file, handle } = databaseWithLog(6);
  const before = statSync(file).size;
  expect(before).toBeLessThan(1024 * 1024);
  const checkpointer = new SqliteCheckpointer(file);
  checkpointer.committed();
  await checkpointer.idle();
  expect(statSync(file).size).toBeGreaterThan(6 * 1000 * 1000);
  // What the checkpoint copied is what was committed.
  handle.close();
  await checkpointer.close();
  const reopened = new BetterSqlite3(file, { readonly: true });
  expect(reopened.prepare('select count(*) as n from filler').get()).toEqual({ n: 6000 });
  reopened.close();
});

it('leaves a small log to the connection: no thread for a database that writes little', async () => {
  const { file, handle } = databaseWithLog(1);
  const checkpointer = new SqliteCheckpointer(file);
  checkpointer.committed();
  await checkpointer.idle();
  expect(statSync(file).size).toBeLessThan(1024 * 1024);
  handle.close();
  await checkpointer.close();
});

it('lets a process that closes its database go on to its next step once the checkpointer started', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-checkpointer-'));
  dirs.push(dir);
  const script = path.join(dir, 'close-then-print.mts');
  writeFileSync(
    script,
    `import { openDatabase } from ${JSON.stringify(path.join(ROOT, 'src/platform/db/database.js'))};
const db = openDatabase({ dialect: 'sqlite', file: ${JSON.stringify(path.join(dir, 'db.sqlite'))} });
await db.kysely.schema.createTable('filler').addColumn('text', 'text').execute();
const rows = Array.from({ length: 500 }, () => ({ text: 'x'.repeat(1000) }));
for (let i = 0; i < 12; i++) await db.kysely.transaction().execute((trx) => trx.insertInto('filler').values(rows).execute());
await db.close();
console.log('closed');
`,
  );
  // An unreferenced worker awaited on close would end the process there, silently, before 'closed'.
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
  expect(out.trim()).toBe('closed');
});

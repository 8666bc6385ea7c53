import { existsSync } from 'node:fs';
import type { Config } from '../platform/config.js';
import { InputError } from '../platform/errors.js';
import type { Runtime } from './runtime.js';

/** Where the CLI looks for its database, in words. */
export function describeDatabase(config: Config): string {
  return config.database.dialect === 'sqlite' ? `the SQLite file ${config.database.file}` : 'the PostgreSQL database of DATABASE_URL';
}

function noDatabase(config: Config, why: string): InputError {
  return new InputError(
    `${why}, and this command only reads, so it creates none. Create one with \`clearinghouse init\` (or \`serve\`, \`demo\`), ` +
      'point at another with CLEARINGHOUSE_DATA_DIR or DATABASE_URL, or read a server with --url and --token',
    [
      {
        pointer: config.database.dialect === 'sqlite' ? 'CLEARINGHOUSE_DATA_DIR' : 'DATABASE_URL',
        detail: 'holds no Clearinghouse database',
      },
    ],
  );
}

/** A SQLite file that does not exist yet: the check needs no connection, so it creates nothing. */
export function requireDatabaseFile(config: Config): void {
  if (config.database.dialect === 'sqlite' && !existsSync(config.database.file))
    throw noDatabase(config, `there is no database at ${config.database.file}`);
}

/** A database no migration ever ran on (an empty PostgreSQL database): nothing to read. */
export async function requireMigratedDatabase(config: Config, runtime: Runtime, migrationCount: number): Promise<void> {
  if ((await runtime.pendingMigrations()).length >= migrationCount) throw noDatabase(config, `${describeDatabase(config)} is empty`);
}

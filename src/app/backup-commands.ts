import type { Command } from 'commander';
import { counted, emit, progress } from '../platform/cli/index.js';
import { createBackup, restoreBackup, type BackupReport, type RestoreReport } from './backup.js';
import type { AppCommandDeps } from './command-deps.js';

function describeBackup(r: BackupReport): string {
  const blobs = r.manifest.files.filter((f) => f.path.startsWith('blobs/')).length;
  const keys = r.manifest.files.filter((f) => f.path.startsWith('keys/')).map((f) => f.path.slice('keys/'.length));
  const db = r.manifest.database;
  const database =
    db.dialect === 'sqlite'
      ? 'the SQLite database (online snapshot)'
      : db.entry === null
        ? 'no database dump'
        : 'a pg_dump of the PostgreSQL database';
  return [
    `wrote ${r.file} (${r.bytes} bytes): ${database}, ${counted(blobs, 'blob')}, keys: ${keys.length === 0 ? 'none' : keys.join(', ')}`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

function describeRestore(r: RestoreReport): string {
  const db = r.manifest.database;
  return [
    `restored ${r.file} (taken ${r.manifest.createdAt} by clearinghouse ${r.manifest.clearinghouse}) into ${r.dataDir}: ${db.dialect === 'sqlite' ? 'the SQLite database, ' : ''}${counted(r.blobs, 'blob')}, ${counted(
      r.manifest.files.filter((f) => f.path.startsWith('keys/')).length,
      'key',
    )}; every file matched its SHA-256`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

/** `backup --out FILE` and `restore FILE [--data DIR] [--force]`: see backup.ts and the README's "Operating". */
export function registerBackupCommands(program: Command, deps: AppCommandDeps): void {
  const output = deps.output;

  program
    .command('backup')
    .description(
      'write one archive of the database (SQLite: an online snapshot while the server runs; PostgreSQL: pg_dump when installed), the blob store and the signing keys, with a manifest of SHA-256 hashes',
    )
    .requiredOption('--out <file>', 'the archive to write (.tar.gz); refused when it exists')
    .option('--no-pg-dump', 'PostgreSQL: do not run pg_dump (dump the database yourself; the command is printed)')
    .option('--json', 'print JSON')
    .action(async (flags: { out: string; pgDump: boolean; json?: boolean }) => {
      const bar = progress(output, 'backup', 1);
      try {
        const report = await createBackup(deps.config(), flags.out, {
          pgDump: flags.pgDump ? 'auto' : 'skip',
          progress: (done, total) => bar.update(done, total),
        });
        bar.stop();
        emit(output, flags.json, report, describeBackup);
      } finally {
        bar.stop();
      }
    });

  program
    .command('restore')
    .description(
      'restore a backup archive into an empty data directory, checking every file against the SHA-256 of its manifest before anything is moved into place',
    )
    .argument('<file>', 'the archive `clearinghouse backup` wrote')
    .option('--data <dir>', 'the data directory to restore into (default CLEARINGHOUSE_DATA_DIR)')
    .option('--force', 'restore into a data directory that is not empty, over what it holds')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: { data?: string; force?: boolean; json?: boolean }) => {
      const config = deps.config();
      const report = await restoreBackup(file, flags.data ?? config.dataDir, {
        force: flags.force,
        auditKeyFile: flags.data === undefined ? config.auditKeyFile : undefined,
        databaseFile: config.database.dialect === 'sqlite' && flags.data === undefined ? config.database.file : undefined,
      });
      emit(output, flags.json, report, describeRestore);
    });
}

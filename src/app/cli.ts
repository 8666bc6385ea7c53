import { Command, CommanderError } from 'commander';
import { bootstrap, type BootstrapResult } from '../modules/identity/index.js';
import {
  EXIT_OK,
  EXIT_USAGE,
  describeError,
  emit,
  exitCodeFor,
  processOutput,
  table,
  type CommandDeps,
  type Output,
} from '../platform/cli/index.js';
import type { SweepReport } from '../platform/blobs/index.js';
import { loadConfig, type Config } from '../platform/config.js';
import { runMigrations } from '../platform/db/index.js';
import type pino from 'pino';
import { createLogger } from '../platform/log.js';
import { loadOrCreateSigningKey } from '../platform/signing-key.js';
import { runDemo } from './demo.js';
import { allMigrations, registerAllCommands } from './modules.js';
import { cliActor, openRuntime, sweepBlobStore, type Runtime } from './runtime.js';
import { serve } from './serve.js';
import { VERSION } from './version.js';

export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly output: Output;
}

function announceBootstrap(output: Output, result: BootstrapResult): void {
  if (!result.created) return;
  output.err(`created the coordinator organisation "${result.org.name}" (${result.org.id}) and its admin ${result.admin.email}`);
  if (result.token !== null) output.err(`admin API token (shown once, keep it safe):\n\n  ${result.token}\n`);
  else output.err('admin API token: the value of CLEARINGHOUSE_ADMIN_TOKEN');
}

function describeSweep(r: SweepReport): string {
  const verb = r.dryRun ? 'would remove' : 'removed';
  return [
    `${verb} ${r.temporaryFiles.removed} temporary files (${r.temporaryFiles.bytes} bytes) and ${r.blobs.removed} unreferenced blobs (${r.blobs.bytes} bytes)`,
    `kept ${r.blobs.referenced} referenced blobs, and ${r.blobs.recent + r.temporaryFiles.recent} entries stored after ${r.cutoff} (grace ${r.graceSeconds / 3600} h)`,
  ].join('\n');
}

/** The `clearinghouse` command. Exported for tests, which run it in-process with their own output. */
export function buildProgram(environment: CliEnvironment, setExitCode: (code: number) => void = () => undefined): Command {
  let config: Config | undefined;
  let log: pino.Logger | undefined;
  const getConfig = (): Config => (config ??= loadConfig(environment.env));
  const getLog = (): pino.Logger => (log ??= createLogger(getConfig().logLevel));

  const openLocal = async (): Promise<Runtime> => openRuntime(getConfig(), getLog());
  const deps: CommandDeps = {
    env: environment.env,
    output: environment.output,
    setExitCode,
    openLocal: async () => {
      const runtime = await openLocal();
      return { ctx: runtime.contextFor(cliActor), close: () => runtime.close() };
    },
  };

  const program = new Command('clearinghouse')
    .description('The AI cybersecurity clearinghouse and the frontier-model early-access program')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => environment.output.out(s), writeErr: (s) => environment.output.err(s) });

  program
    .command('serve')
    .description('run the API server (creates and migrates the database on first start)')
    .action(async () => {
      await serve(getConfig(), getLog(), environment.output);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const runtime = await openRuntime(getConfig(), getLog(), { migrate: false });
      try {
        const applied = await runMigrations(runtime.db, allMigrations);
        emit(environment.output, flags.json, { applied }, (r) =>
          r.applied.length === 0 ? 'schema is current' : `applied ${r.applied.join(', ')}`,
        );
      } finally {
        await runtime.close();
      }
    });

  program
    .command('init')
    .description('create the database, the coordinator organisation and its admin; print the admin token once')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const runtime = await openLocal();
      try {
        const result = await bootstrap(runtime.contextFor(cliActor), { adminToken: getConfig().adminToken });
        loadOrCreateSigningKey(getConfig().auditKeyFile);
        if (flags.json) emit(environment.output, true, result, () => '');
        else if (result.created) announceBootstrap(environment.output, result);
        else environment.output.out(`already initialised: coordinator ${result.org.name} (${result.org.id}), admin ${result.admin.email}`);
      } finally {
        await runtime.close();
      }
    });

  program
    .command('demo')
    .description('fill an empty database with a realistic cast of organisations and print their admin tokens')
    .option('--json', 'print {"orgs": [{"id", "name", "kind", "token"}]}')
    .action(async (flags: { json?: boolean }) => {
      const runtime = await openLocal();
      try {
        const ctx = runtime.contextFor(cliActor);
        const coordinator = await bootstrap(ctx, { adminToken: getConfig().adminToken });
        const orgs = await runDemo(ctx, coordinator);
        await runtime.jobs.drain();
        emit(environment.output, flags.json, { orgs }, (r) =>
          table(
            ['KIND', 'NAME', 'ID', 'ADMIN TOKEN'],
            r.orgs.map((o) => [o.kind, o.name, o.id, o.token]),
          ),
        );
      } finally {
        await runtime.close();
      }
    });

  program
    .command('blobs')
    .description('the blob store: raw submissions, evidence, SBOMs, review material')
    .command('sweep')
    .description(
      'remove leftover temporary files and blobs no record refers to, older than CLEARINGHOUSE_BLOB_SWEEP_GRACE_HOURS (default 24); audited',
    )
    .option('--dry-run', 'count what would be removed; remove nothing')
    .option('--json', 'print JSON')
    .action(async (flags: { dryRun?: boolean; json?: boolean }) => {
      const runtime = await openLocal();
      try {
        const report = await sweepBlobStore(runtime.contextFor(cliActor), getConfig(), { dryRun: flags.dryRun });
        emit(environment.output, flags.json, report, describeSweep);
      } finally {
        await runtime.close();
      }
    });

  registerAllCommands(program, deps);
  return program;
}

/** Runs the CLI; resolves to the exit code. Errors are printed, never thrown. */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment = { env: process.env, output: processOutput },
): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(environment, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    environment.output.err(`error: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}

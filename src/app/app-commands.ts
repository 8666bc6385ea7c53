import type { Command } from 'commander';
import { providerSettings } from '../modules/advisories/index.js';
import { bootstrap, type BootstrapResult } from '../modules/identity/index.js';
import { emit, table, type Output } from '../platform/cli/index.js';
import type { SweepReport } from '../platform/blobs/index.js';
import { runMigrations } from '../platform/db/index.js';
import { loadOrCreateSigningKey } from '../platform/signing-key.js';
import type { AppCommandDeps } from './command-deps.js';
import { runDemo } from './demo.js';
import { registerJobsCommands } from './jobs-commands.js';
import { allMigrations } from './modules.js';
import type { HousekeepingReport } from '../platform/housekeeping.js';
import { cliActor, housekeep, sweepBlobStore, type Runtime, type RuntimeOptions } from './runtime.js';
import { serve } from './serve.js';
import { VERSION } from './version.js';

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

function describeHousekeeping(r: HousekeepingReport): string {
  const verb = r.dryRun ? 'would remove' : 'removed';
  return [
    `${verb} ${r.jobs.removedDone} done jobs finished before ${r.cutoffs.doneJobs}, ${r.jobs.removedFailed} failed jobs finished before ${r.cutoffs.failedJobs}`,
    `${verb} ${r.events.removed} events stored before ${r.cutoffs.events}; kept ${r.events.named} of them that a job not done names`,
    ...(r.complete ? [] : ['stopped at its row budget: run it again for the rest']),
  ].join('\n');
}

/** Runs `work` on the configured database, closing it afterwards whatever happens. */
async function withRuntime(deps: AppCommandDeps, work: (runtime: Runtime) => Promise<void>, options?: RuntimeOptions): Promise<void> {
  const runtime = await deps.openRuntime(options);
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** The commands of the application itself: `serve`, `migrate`, `init`, `demo`, `blobs sweep`, `jobs status` and `jobs sweep`. */
export function registerAppCommands(program: Command, deps: AppCommandDeps): void {
  const output = deps.output;

  program
    .command('serve')
    .description('run the API server (creates and migrates the database on first start)')
    .action(async () => {
      await serve(deps.config(), await deps.log(), output);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withRuntime(
        deps,
        async (runtime) => {
          const applied = await runMigrations(runtime.db, allMigrations);
          emit(output, flags.json, { applied }, (r) => (r.applied.length === 0 ? 'schema is current' : `applied ${r.applied.join(', ')}`));
        },
        { migrate: false },
      );
    });

  program
    .command('init')
    .description('create the database, the coordinator organisation and its admin; print the admin token once')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withRuntime(deps, async (runtime) => {
        const result = await bootstrap(runtime.contextFor(cliActor), { adminToken: deps.config().adminToken });
        loadOrCreateSigningKey(deps.config().auditKeyFile);
        if (flags.json) emit(output, true, result, () => '');
        else if (result.created) announceBootstrap(output, result);
        else output.out(`already initialised: coordinator ${result.org.name} (${result.org.id}), admin ${result.admin.email}`);
      });
    });

  program
    .command('demo')
    .description(
      'fill an empty database with a realistic cast of organisations, play the main line to the operators notified, and print their admin tokens and what each party sees',
    )
    .option('--json', 'print {"orgs": [{"id", "name", "kind", "token"}], "line": {"caseNumber", "advisory", "parties"}}')
    .action(async (flags: { json?: boolean }) => {
      await withRuntime(deps, async (runtime) => {
        const ctx = runtime.contextFor(cliActor);
        const coordinator = await bootstrap(ctx, { adminToken: deps.config().adminToken });
        const demo = await runDemo(ctx, coordinator, {
          settings: providerSettings(deps.config(), VERSION),
          drain: async () => void (await runtime.jobs.drain()),
        });
        await runtime.jobs.drain();
        emit(output, flags.json, demo, (r) =>
          [
            table(
              ['KIND', 'NAME', 'ID', 'ADMIN TOKEN'],
              r.orgs.map((o) => [o.kind, o.name, o.id, o.token]),
            ),
            ...(r.line === null
              ? []
              : [
                  '',
                  `The main line: case ${r.line.caseNumber} → advisory ${r.line.advisory.trackingId} version ${r.line.advisory.version}, TLP:CLEAR, signed: ${r.line.advisory.link ?? ''}`,
                  ...r.line.parties.map((p) => `  ${p.name} (${p.kind}) sees: ${p.sees}`),
                ]),
          ].join('\n'),
        );
      });
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
      await withRuntime(deps, async (runtime) => {
        const report = await sweepBlobStore(runtime.contextFor(cliActor), deps.config(), { dryRun: flags.dryRun });
        emit(output, flags.json, report, describeSweep);
      });
    });

  registerJobsCommands(program, deps)
    .command('sweep')
    .description(
      'delete done jobs, failed jobs and delivered events older than CLEARINGHOUSE_DONE_JOBS_KEEP_MINUTES (1440), CLEARINGHOUSE_FAILED_JOBS_KEEP_DAYS (30) and CLEARINGHOUSE_EVENTS_KEEP_MINUTES (60); events a job not done names stay',
    )
    .option('--dry-run', 'count what would be deleted; delete nothing')
    .option('--json', 'print JSON')
    .action(async (flags: { dryRun?: boolean; json?: boolean }) => {
      await withRuntime(deps, async (runtime) => {
        const report = await housekeep(runtime.db, runtime.clock, deps.config(), { dryRun: flags.dryRun });
        emit(output, flags.json, report, describeHousekeeping);
      });
    });
}

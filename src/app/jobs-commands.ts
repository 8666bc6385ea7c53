import type { Command } from 'commander';
import { queryOf, remoteCommand, respond, table, type CommandDeps, type RemoteFlags } from '../platform/cli/index.js';
import { jobsStatus, type JobsStatus } from './jobs-status.js';

function describeJobs(s: JobsStatus): string {
  const rows = (items: JobsStatus['works']) => items.map((c) => [c.kind, String(c.pending), String(c.running), String(c.failed)]);
  const lines: string[] = [];
  if (s.work !== null) {
    const j = s.work.jobs;
    lines.push(
      `work ${s.work.id} (${s.work.kind}): ${s.work.state}` +
        (j === null ? '' : ` — ${j.done} done, ${j.running} running, ${j.pending} pending, ${j.failed} failed`),
    );
  }
  if (s.jobs !== null)
    lines.push(
      s.jobs.length === 0 ? 'no job pending, running or failed' : table(['JOB KIND', 'PENDING', 'RUNNING', 'FAILED'], rows(s.jobs)),
    );
  const whose = s.scope === 'all' ? 'every organisation' : 'your organisation';
  lines.push(
    s.works.length === 0
      ? `no work of ${whose} pending, running or failed`
      : `works of ${whose}, each counted once:\n${table(['WORK KIND', 'PENDING', 'RUNNING', 'FAILED'], rows(s.works))}`,
  );
  return lines.join('\n');
}

/**
 * `jobs status [--work ID]`: the background work a caller may see, on the local database or a server. Answers
 * the `jobs` command, for the application's commands that work on the local database only.
 */
export function registerJobsCommands(program: Command, deps: CommandDeps): Command {
  const jobs = program.command('jobs').description('background work: matching, prioritization, notifications');
  remoteCommand(
    jobs,
    'status',
    'what is queued, running and failed in the background (coordinator staff: every job; others: their own works)',
  )
    .option('--work <id>', 'one work, as an import or upload named it')
    .action(async (flags: RemoteFlags & { work?: string }) => {
      await respond(
        deps,
        flags,
        ({ ctx }) => jobsStatus(ctx, flags.work),
        (api) => api.get<JobsStatus>(`/api/v1/jobs/status${queryOf({ work: flags.work })}`),
        describeJobs,
        { reads: true },
      );
    });
  return jobs;
}

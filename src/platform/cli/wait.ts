import type { Command } from 'commander';
import { ApiClient } from './api-client.js';
import { withLocal, type RemoteFlags } from './dispatch.js';
import { remoteOptions, type CommandDeps, type LocalRuntime } from './command-deps.js';
import { counted, progress, type Output } from './output.js';
import type { JobStateCounts, QueuedWork, WorkStatus } from '../jobs/index.js';

/** What `--wait` found: each work's final state, and its jobs when the caller may count them. */
export interface WaitOutcome {
  readonly works: readonly Pick<WorkStatus, 'id' | 'state' | 'jobs'>[];
  readonly failed: boolean;
}

/** Follows one work until it is finished, reporting as it goes. */
type Follow = (workId: string, report: (status: Pick<WorkStatus, 'state' | 'jobs'>) => void) => Promise<Pick<WorkStatus, 'state' | 'jobs'>>;

const stateOf = (c: JobStateCounts): WorkStatus['state'] =>
  c.running > 0 ? 'running' : c.pending > 0 ? 'pending' : c.failed > 0 ? 'failed' : 'done';

/** On the local database: the jobs are run here, by this process. */
function localFollow(rt: LocalRuntime): Follow {
  return async (workId, report) => {
    const counts = await rt.runWork(workId, (c) => report({ state: stateOf(c), jobs: c }));
    return { state: stateOf(counts), jobs: counts };
  };
}

/** Against a server: its job runner does the work; this polls `GET /api/v1/jobs/status?work=`. */
function remoteFollow(api: ApiClient, pollMs: number): Follow {
  return async (workId, report) => {
    for (;;) {
      const { work } = await api.get<{ work: Pick<WorkStatus, 'state' | 'jobs'> }>(
        `/api/v1/jobs/status?work=${encodeURIComponent(workId)}`,
      );
      report(work);
      if (work.state === 'done' || work.state === 'failed') return work;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}

/**
 * Waits for background works to finish, one after another: a progress bar on a terminal (jobs done of
 * jobs known, or works finished when the caller may not count jobs), plain lines otherwise.
 */
async function follow(output: Output, works: readonly QueuedWork[], step: Follow): Promise<WaitOutcome> {
  const tracked = works.filter((w) => w.jobs === null || w.jobs > 0);
  const countable = tracked.every((w) => w.jobs !== null);
  const total = countable ? tracked.reduce((n, w) => n + (w.jobs ?? 0), 0) : tracked.length;
  const unit = countable ? 'job' : 'work';
  if (!output.isTTY) output.err(`waiting for the background work: ${counted(total, unit)}`);
  const bar = progress(output, 'background work', total);
  const finished: WaitOutcome['works'][number][] = [];
  let doneBefore = 0;
  let lastLine = Date.now();
  for (const work of tracked) {
    const final = await step(work.id, (status) => {
      const done = countable && status.jobs !== null ? status.jobs.done + status.jobs.failed : finished.length;
      const known = countable && status.jobs !== null ? doneBefore + status.jobs.pending + status.jobs.running + done : total;
      bar.update(doneBefore + done, Math.max(known, total));
      if (!output.isTTY && Date.now() - lastLine > 5000) {
        output.err(`  ${doneBefore + done} of ${counted(Math.max(known, total), unit)} done`);
        lastLine = Date.now();
      }
    });
    finished.push({ id: work.id, state: final.state, jobs: final.jobs });
    doneBefore += countable && final.jobs !== null ? final.jobs.done + final.jobs.failed : 1;
    bar.update(doneBefore);
  }
  bar.stop();
  const failed = finished.some((w) => w.state === 'failed');
  const jobs = finished.reduce((n, w) => n + (w.jobs === null ? 0 : w.jobs.done + w.jobs.failed), 0);
  const failedJobs = finished.reduce((n, w) => n + (w.jobs?.failed ?? 0), 0);
  output.err(
    countable
      ? `background work finished: ${counted(jobs, 'job')}, ${failedJobs} failed`
      : `background work finished: ${counted(finished.length, 'work')}, ${finished.filter((w) => w.state === 'failed').length} failed`,
  );
  return { works: finished, failed };
}

/** Adds `--wait` to a command that queues background work. */
export function withWaitOption(command: Command): Command {
  return command.option('--wait', 'wait for the background work it queued (matching, prioritization) to finish, with a progress bar');
}

/** A command's result with what `--wait` found, when it waited. */
export type Waited<T> = T & { readonly waited?: WaitOutcome };

/** How often `--wait` asks a server how its work is going. */
const POLL_MS = 500;

/**
 * {@link dispatch} for a command that queues background work: runs `local` or `remote`, then with `--wait`
 * waits for the works it answered (`worksOf`) — on the local database by running their jobs in this
 * process, against a server by following them through its status route. A failed job makes the exit code 1.
 */
export async function dispatchWaiting<T>(
  deps: CommandDeps,
  flags: RemoteFlags & { wait?: boolean },
  local: (rt: LocalRuntime) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
  worksOf: (result: T) => readonly QueuedWork[],
): Promise<Waited<T>> {
  const target = remoteOptions(flags, deps.env);
  const settle = async (result: T, step: Follow): Promise<Waited<T>> => {
    // Without --wait the answer is the command's own, untouched.
    if (flags.wait !== true) return result as Waited<T>;
    const waited = await follow(deps.output, worksOf(result), step);
    if (waited.failed) deps.setExitCode(1);
    return { ...result, waited };
  };
  if (target !== null) {
    const api = new ApiClient(target);
    return settle(await remote(api), remoteFollow(api, POLL_MS));
  }
  return withLocal(deps, async (rt) => settle(await local(rt), localFollow(rt)));
}

/** The line a command prints about the background work it queued. */
export function describeQueued(works: readonly QueuedWork[], waited?: WaitOutcome): string {
  const queued = works.filter((w) => w.jobs === null || w.jobs > 0);
  if (queued.length === 0) return 'no background work queued';
  if (waited !== undefined) {
    const failed = waited.works.filter((w) => w.state === 'failed').length;
    return failed === 0
      ? 'background work done'
      : `background work: ${failed} of ${counted(waited.works.length, 'work')} failed (see jobs status)`;
  }
  const jobs = queued.every((w) => w.jobs !== null)
    ? counted(
        queued.reduce((n, w) => n + (w.jobs ?? 0), 0),
        'background job',
      )
    : 'background work';
  const ids = queued.length === 1 ? (queued[0]?.id ?? '') : counted(queued.length, 'work');
  return `queued ${jobs} (${ids}); follow with: clearinghouse jobs status${queued.length === 1 ? ` --work ${ids}` : ''}, or pass --wait`;
}

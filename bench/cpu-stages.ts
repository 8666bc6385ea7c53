import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** A stage and the functions whose calls (and callees) belong to it. */
export interface Stage {
  readonly name: string;
  readonly functions: readonly string[];
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where the main thread's sampled time went, in milliseconds per stage, and the process's CPU time. */
export interface StageTimes {
  readonly stages: Record<string, number>;
  readonly cpuMs: { readonly user: number; readonly system: number };
  /** The main thread's own CPU time (Linux), apart from worker threads and V8's and libuv's helpers; else null. */
  readonly mainThreadCpuMs: number | null;
  readonly sampledMs: number;
}

/**
 * The main thread's CPU milliseconds so far, from Linux's per-thread accounting (`/proc/self/task/<pid>/stat`,
 * in clock ticks of 10 ms), or null elsewhere. Node 20 has no per-thread CPU call (`process.threadCpuUsage`
 * came with Node 23.9), and `process.cpuUsage()` counts every thread of the process.
 */
export function mainThreadCpuMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Runs `work` under V8's sampling profiler (1 ms: a few percent of overhead) and attributes each sample to a
 * stage: of the stages whose functions are on its stack, the one listed first (so a commit inside the
 * function that writes rows is the commit's); V8's collector is `gc`; waiting for I/O (PostgreSQL's answer)
 * is `idle`; the rest is `other`. An async function resumed after an `await` is on the stack again, so its
 * later work counts to its stage too.
 */
export async function profileStages<T>(stages: readonly Stage[], work: () => Promise<T>): Promise<{ result: T; times: StageTimes }> {
  const cpu = process.cpuUsage();
  const main = mainThreadCpuMs();
  const { result, profile } = await sampled(1000, work);
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpuMs();
  return {
    result,
    times: {
      ...attribute(profile, stages),
      cpuMs: { user: used.user / 1000, system: used.system / 1000 },
      mainThreadCpuMs: main === null || mainAfter === null ? null : mainAfter - main,
    },
  };
}

/** Runs `work` under V8's sampling profiler, every `intervalUs` microseconds, and answers the profile. */
export async function sampled<T, P = Profile>(intervalUs: number, work: () => Promise<T>): Promise<{ result: T; profile: P }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  let result: T;
  let stopped: { profile: P };
  try {
    result = await work();
  } finally {
    // Stopped however work ends, so that a failed run leaves no profiler behind.
    stopped = (await session.post('Profiler.stop')) as unknown as { profile: P };
    session.disconnect();
  }
  return { result, profile: stopped.profile };
}

function attribute(profile: Profile, stages: readonly Stage[]): { stages: Record<string, number>; sampledMs: number } {
  const rankOf = new Map<string, number>();
  stages.forEach((stage, rank) => {
    for (const fn of stage.functions) if (!rankOf.has(fn)) rankOf.set(fn, rank);
  });
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const named = new Map<number, string>();
  const nameOf = (id: number): string => {
    const cached = named.get(id);
    if (cached !== undefined) return cached;
    const own = byId.get(id)!.callFrame.functionName;
    let name: string;
    if (own === '(garbage collector)') name = 'gc';
    else if (own === '(idle)') name = 'idle';
    else {
      let best = stages.length;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        best = Math.min(best, rankOf.get(byId.get(at)!.callFrame.functionName) ?? best);
      }
      name = stages[best]?.name ?? 'other';
    }
    named.set(id, name);
    return name;
  };
  const totals: Record<string, number> = {};
  let sampled = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    sampled += ms;
    const name = nameOf(id);
    totals[name] = (totals[name] ?? 0) + ms;
  });
  return { stages: totals, sampledMs: sampled };
}

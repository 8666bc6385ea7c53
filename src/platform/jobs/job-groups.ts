import type { Job } from './jobs.js';

/**
 * The jobs a runner runs together, by their group key: those of one kind whose handler takes several at once
 * (`grouped`), of one work (a handler runs in its job's work, see work.ts), on their first attempt. A job run
 * again — after its group failed, or its worker died in it — runs alone: one that breaks its group is never
 * mixed with others twice. Null for a job that runs alone. releaseOrphanedLeases (claims.ts) reads a dead
 * worker's leases by the same rule.
 */
export function groupKey(
  job: { readonly kind: string; readonly attempt: number; readonly workId: string | null },
  grouped: ReadonlySet<string>,
): string | null {
  return grouped.has(job.kind) && job.attempt === 1 ? `${job.kind}\n${job.workId ?? ''}` : null;
}

/**
 * A claimed batch as the runner runs it: in claim order, each job that runs with others of its group where
 * the first of them stands, the rest alone.
 */
export function groupsInClaimOrder(claimed: readonly Job[], grouped: ReadonlySet<string>): Job[][] {
  const groups: Job[][] = [];
  const byKey = new Map<string, Job[]>();
  for (const job of claimed) {
    const key = groupKey({ kind: job.kind, attempt: job.attempt, workId: job.work?.id ?? null }, grouped);
    const group = key === null ? undefined : byKey.get(key);
    if (group !== undefined) {
      group.push(job);
      continue;
    }
    const alone = [job];
    groups.push(alone);
    if (key !== null) byKey.set(key, alone);
  }
  return groups;
}

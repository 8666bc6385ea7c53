import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU seconds used so far by each PostgreSQL server process connected to the database of `url` (pid →
 * seconds), read from /proc: the server's share of a figure on a shared machine, where wall time is mostly
 * waiting for a core. Empty where the server is not on this machine.
 */
export async function serverCpu(url: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        // utime and stime, in clock ticks (100 a second on Linux).
        out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // Not on this machine, or gone.
      }
    }
    return out;
  } finally {
    await client.end();
  }
}

/** CPU seconds the server processes used between two readings (a process that appeared counts from zero). */
export function serverCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return Math.round(total * 100) / 100;
}

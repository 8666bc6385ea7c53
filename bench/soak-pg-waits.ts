import pg from 'pg';

/** What the PostgreSQL connections of a soak were doing, from samples of pg_stat_activity. */
export interface PgWaits {
  /** Samples taken (one every `intervalMs`). */
  readonly samples: number;
  /** Connection-samples that were not idle: each busy connection counts once per sample. */
  readonly busy: number;
  /** Per state, as a share of `busy`, the most frequent first, each with its most frequent statements. */
  readonly states: readonly { readonly state: string; readonly share: number; readonly queries: readonly string[] }[];
}

/**
 * Samples, every `intervalMs`, what each connection to the database of `url` (other than its own) is doing:
 * running (`cpu`: active, waiting for nothing PostgreSQL knows of — also when the machine has no core for it),
 * waiting for a lock (an advisory lock named by its key where `lockNames` holds it, a row lock by the
 * statement that waits), inside a transaction while the server's process works (`idle in transaction`),
 * or on I/O. `stop()` ends the sampling and returns the figures.
 */
export function samplePgWaits(url: string, lockNames: readonly string[], intervalMs = 250): { stop(): Promise<PgWaits> } {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, { n: number; queries: Map<string, number> }>();
  let samples = 0;
  let busy = 0;
  let stopped = false;
  const names = new Map<string, string>();
  const run = (async () => {
    await client.connect();
    const keys = await client.query<{ name: string; objid: string }>(
      `select k as name, ((hashtext(k)::bigint) & 4294967295)::text as objid from unnest($1::text[]) as k`,
      [lockNames],
    );
    for (const row of keys.rows) names.set(row.objid, row.name);
    while (!stopped) {
      const { rows } = await client.query<{ state: string; wait: string | null; advisory: string | null; query: string }>(
        `select a.state, a.wait_event_type || ':' || a.wait_event as wait,
           (select l.objid::text from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and not l.granted limit 1) as advisory,
           left(regexp_replace(a.query, '\\s+', ' ', 'g'), 90) as query
         from pg_stat_activity a
         where a.datname = current_database() and a.pid <> pg_backend_pid() and a.state <> 'idle' and a.backend_type = 'client backend'`,
      );
      samples++;
      for (const row of rows) {
        busy++;
        const state =
          row.advisory !== null
            ? `lock: advisory ${names.get(row.advisory) ?? `#${row.advisory}`}`
            : row.wait?.startsWith('Lock:')
              ? `lock: ${row.wait.slice(5)}`
              : row.state === 'active'
                ? row.wait === null
                  ? 'cpu'
                  : row.wait
                : row.state;
        const entry = counts.get(state) ?? { n: 0, queries: new Map() };
        entry.n++;
        entry.queries.set(row.query, (entry.queries.get(row.query) ?? 0) + 1);
        counts.set(state, entry);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      try {
        await run;
      } finally {
        await client.end().catch(() => undefined);
      }
      const states = [...counts]
        .sort((a, b) => b[1].n - a[1].n)
        .map(([state, entry]) => ({
          state,
          share: busy === 0 ? 0 : Math.round((entry.n / busy) * 1000) / 1000,
          queries: [...entry.queries]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([query, n]) => `${n}× ${query}`),
        }));
      return { samples, busy, states };
    },
  };
}

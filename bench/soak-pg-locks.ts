// Side sampler for a PostgreSQL soak (`npm run soak -- --db pg`, run beside it): every INTERVAL ms, the advisory
// locks of the newest database whose name starts with PREFIX (the soak's is `${CLEARINGHOUSE_BENCH_PG_PREFIX}_soak_…`),
// joined to pg_stat_activity. Per transaction (pid and xact_start) it adds up the sampled time spent waiting for
// each lock (inventory.match shared or alone, inventory.change, an operator's inventory.upload), separately for
// uploads and for exclusive holders, and per sample what a shared waiter of inventory.match waits behind: the lock
// held alone, or held shared with an exclusive waiter queued first (PostgreSQL queues a shared request behind it).
// Written to OUT.json every 100 samples and when the database goes. Issue 20: told the upload tail's causes apart.
// usage: npx tsx bench/soak-pg-locks.ts PREFIX OUT.json [INTERVAL_MS]
import pg from 'pg';
import { writeFileSync } from 'node:fs';

const [prefix = 'ch_bench_soak', out = 'soak-pg-locks.json', intervalArg = '75'] = process.argv.slice(2);
const interval = Number(intervalArg);
const adminUrl = process.env.CLEARINGHOUSE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
let name: string | undefined;
for (let i = 0; i < 600 && name === undefined; i++) {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like $1 order by datname desc limit 1`,
    [`${prefix}%`],
  );
  name = rows[0]?.datname;
  if (name === undefined) await new Promise((r) => setTimeout(r, 500));
}
await admin.end();
if (name === undefined) throw new Error('no soak database');
let stopped = false;
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const client = new pg.Client({ connectionString: url.toString() });
client.on('error', () => (stopped = true));
await client.connect();
const names = new Map<string, string>();
const keysOf = async () => {
  const orgs = await client.query<{ id: string }>(`select id from identity_org`).catch(() => ({ rows: [] as { id: string }[] }));
  const keys = ['inventory.match', 'inventory.change', 'intake.dedup', ...orgs.rows.map((o) => `inventory.upload:${o.id}`)];
  const { rows } = await client.query<{ name: string; objid: string }>(
    `select k as name, ((hashtext(k)::bigint) & 4294967295)::text as objid from unnest($1::text[]) as k`,
    [keys],
  );
  for (const row of rows) names.set(row.objid, row.name.replace(/:.*$/, ':org'));
};
await keysOf();

interface Xact {
  waits: Record<string, number>;
  shared: boolean;
  exclusive: boolean;
  first: number;
  last: number;
}
const xacts = new Map<string, Xact>();
const behind: Record<string, number> = {};
let samples = 0;
process.on('SIGTERM', () => (stopped = true));
process.on('SIGINT', () => (stopped = true));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
};
const summary = (filter: (x: Xact) => boolean) => {
  const list = [...xacts.values()].filter(filter);
  const locks = new Set(list.flatMap((x) => Object.keys(x.waits)));
  return {
    transactions: list.length,
    waitMs: Object.fromEntries(
      [...locks].map((k) => {
        const xs = list.map((x) => x.waits[k] ?? 0);
        return [
          k,
          { p50: pct(xs, 50), p90: pct(xs, 90), p99: pct(xs, 99), max: Math.max(...xs), sumS: xs.reduce((a, b) => a + b, 0) / 1000 },
        ];
      }),
    ),
  };
};
const write = () =>
  writeFileSync(
    out,
    JSON.stringify(
      {
        database: name,
        samples,
        intervalMs: interval,
        uploads: summary((x) => x.shared),
        exclusive: summary((x) => x.exclusive),
        sharedWaitBehind: behind,
      },
      null,
      1,
    ),
  );
const t0 = Date.now();
while (!stopped) {
  if (samples % 200 === 0) await keysOf();
  let rows: { pid: number; objid: string; mode: string; granted: boolean; xact: string | null; q: string }[];
  try {
    ({ rows } = await client.query(
      `select l.pid, l.objid::text, l.mode, l.granted, a.xact_start::text as xact, left(a.query, 60) as q
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
       where l.locktype = 'advisory' and a.datname = current_database()`,
    ));
  } catch {
    break;
  }
  samples++;
  if (samples % 100 === 0) write();
  const now = Date.now() - t0;
  const match = rows.filter((r) => names.get(r.objid) === 'inventory.match');
  const exclusiveHeld = match.some((r) => r.granted && r.mode === 'ExclusiveLock');
  const sharedHeld = match.filter((r) => r.granted && r.mode === 'ShareLock').length;
  const exclusiveWaiting = match.filter((r) => !r.granted && r.mode === 'ExclusiveLock').length;
  for (const r of rows) {
    const key = `${r.pid} ${r.xact}`;
    let x = xacts.get(key);
    if (x === undefined) xacts.set(key, (x = { waits: {}, shared: false, exclusive: false, first: now, last: now }));
    x.last = now;
    const lock = names.get(r.objid) ?? `#${r.objid}`;
    if (lock === 'inventory.upload:org') x.shared = true;
    if (lock === 'inventory.match') {
      if (r.mode === 'ShareLock') x.shared = true;
      else x.exclusive = true;
    }
    if (!r.granted) {
      const what = `${lock}${r.mode === 'ShareLock' ? ' (shared)' : ''}`;
      x.waits[what] = (x.waits[what] ?? 0) + interval;
      if (lock === 'inventory.match' && r.mode === 'ShareLock') {
        const why = exclusiveHeld
          ? 'held exclusive'
          : exclusiveWaiting > 0
            ? `held shared by ${sharedHeld}, queued behind an exclusive waiter`
            : 'other';
        behind[why] = (behind[why] ?? 0) + 1;
      }
    }
  }
  await new Promise((r) => setTimeout(r, interval));
}
write();
await client.end().catch(() => undefined);

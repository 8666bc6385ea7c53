import { sql } from 'kysely';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { claimLease } from '../src/modules/scanning/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor, type ServiceContext } from '../src/platform/context.js';
import { withTransaction } from '../src/platform/db/index.js';
import { ConflictError } from '../src/platform/errors.js';
import { silentLogger } from '../src/platform/log.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { report } from './report.js';

export interface LeaseBenchOptions {
  /** Claims per phase. */
  readonly claims: number;
  /** Claims in flight at once. */
  readonly concurrency: number;
}

/** Runs `work(i)` for i < n with `concurrency` in flight; the elapsed milliseconds. */
async function timed(n: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return performance.now() - start;
}

async function runOn(database: BenchDatabase, options: LeaseBenchOptions): Promise<void> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const system = runtime.contextFor(cliActor);
    await bootstrap(system, { adminToken: null });
    const scanners: ServiceContext[] = [];
    for (let n = 0; n < 8; n++) {
      const org = await createOrg(asActor(system, await adminActorOf(system)), { name: `Bench scanner ${n}`, kind: 'agency' });
      const { user } = await createUser(system, org.id, { email: `scanner${n}@bench.example`, name: `Scanner ${n}`, role: 'analyst' });
      scanners.push(asActor(system, { kind: 'user', userId: user.id, orgId: org.id, orgKind: 'agency', role: 'analyst', tokenId: null }));
    }
    const meta = { dialect: database.dialect, claims: options.claims, concurrency: options.concurrency };
    const claim = (i: number, target: string) =>
      claimLease(scanners[i % scanners.length]!, { target, technique: 'fuzzing', seconds: 3600 });

    // Baseline, same run and database: one committed transaction writing one row, the floor of any claim.
    await sql`create table bench_lease_baseline (id varchar(40) primary key, at varchar(40) not null)`.execute(runtime.db.kysely);
    const baseMs = await timed(options.claims, options.concurrency, (i) =>
      withTransaction(runtime.db, (trx) =>
        trx
          .insertInto('bench_lease_baseline' as never)
          .values({ id: `row-${i}`, at: new Date().toISOString() } as never)
          .execute(),
      ),
    );
    report(`scanning.${database.dialect}.lease.baseline_tx_per_s`, (options.claims / baseMs) * 1000, { ...meta, baseline: true });

    // Free targets: every claim wins (checks, one conditional upsert, an audit line).
    const wonMs = await timed(options.claims, options.concurrency, (i) => claim(i, `pkg:npm/bench-${i}`));
    report(`scanning.${database.dialect}.lease.claims_per_s`, (options.claims / wonMs) * 1000, meta);

    // Held targets: every claim is refused with 409 lease-held, naming the expiry and next free time.
    let refused = 0;
    const heldMs = await timed(options.claims, options.concurrency, (i) =>
      claim(i + 1, `pkg:npm/bench-${i}`).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
        refused++;
      }),
    );
    report(`scanning.${database.dialect}.lease.refusals_per_s`, (options.claims / heldMs) * 1000, { ...meta, refused });
  } finally {
    await runtime.close();
    await database.drop();
  }
}

/** Lease claims per second on SQLite and PostgreSQL, with a same-run baseline of a one-row transaction. */
export async function benchLeases(options: LeaseBenchOptions): Promise<void> {
  await runOn(benchSqlite('leases'), options);
  const pg = await benchPostgres('leases');
  if (pg !== null) await runOn(pg, options);
}

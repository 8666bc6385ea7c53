import { cliActor, openRuntime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap } from '../src/modules/identity/index.js';
import { rematchAdvisory, upsertAdvisory } from '../src/modules/inventory/index.js';
import { seedPortfolio, type PortfolioOperator } from '../src/modules/inventory/test-support/portfolio.js';
import { cycloneDx, osvRecord, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import {
  addAllowlistEntry,
  allowListBlocks,
  createHttpTransport,
  dispatchDue,
  notifyAffectedOperators,
  registerWebhook,
} from '../src/modules/notify/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor } from '../src/platform/context.js';
import { silentLogger } from '../src/platform/log.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { report } from './report.js';
import { postAll, startBenchReceiver } from './webhook-receiver.js';

export interface NotifyBenchOptions {
  /** Operators in the portfolio, each with one webhook; every one runs the affected version. */
  readonly operators: number;
  /** Requests in flight at once, for the dispatcher and the baseline alike. */
  readonly concurrency: number;
}

async function runOn(database: BenchDatabase, options: NotifyBenchOptions): Promise<void> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  const secrets = new Map<string, string>();
  const receiver = await startBenchReceiver(secrets);
  try {
    const system = runtime.contextFor(cliActor);
    await bootstrap(system, { adminToken: null });
    const meta = { dialect: database.dialect, operators: options.operators, concurrency: options.concurrency };
    const portfolio: PortfolioOperator[] = Array.from({ length: options.operators }, (_, i) => ({
      name: `Bench operator ${i}`,
      sectors: ['energy'],
      assets: [
        {
          name: `plant ${i}`,
          sector: 'energy',
          criticality: 'high',
          internetFacing: false,
          sbom: cycloneDx([pypi('django', '4.2.1'), pypi('requests', '2.31.0')], `plant ${i}`),
        },
      ],
    }));
    const seeded = await seedPortfolio(runtime.db, runtime.clock, portfolio);
    await addAllowlistEntry(asActor(system, await adminActorOf(system)), { cidr: '127.0.0.1/32' });
    for (const [i, s] of seeded.entries()) {
      const path = `/o/${i}`;
      const { secret } = await registerWebhook(system, { orgId: s.orgId, url: `${receiver.url}${path}`, events: ['advisory.*'] });
      secrets.set(path, secret);
    }
    await upsertAdvisory(
      system,
      osvRecord('PYSEC-2026-9', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }], { aliases: ['CVE-2026-9999'] }),
      { source: 'osv-import', tlp: 'GREEN' },
    );
    await rematchAdvisory(system, 'PYSEC-2026-9');

    // Fan-out: one advisory's notifications, deliveries and remediation items, page by page.
    const fanStart = performance.now();
    const fanned = await notifyAffectedOperators(
      system,
      { publicUrl: runtime.config.publicUrl },
      {
        type: 'advisory.matched',
        advisoryId: 'PYSEC-2026-9',
        dedupScope: 'bench',
        sourceEventId: null,
      },
    );
    const fanMs = performance.now() - fanStart;
    report(`notify.${database.dialect}.fanout_notifications_per_s`, (fanned.notifications / fanMs) * 1000, {
      ...meta,
      notifications: fanned.notifications,
      deliveries: fanned.deliveries,
      ms: Math.round(fanMs),
    });

    // Dispatch: claim, sign, send, record — until nothing is due.
    const blocks = await allowListBlocks(system);
    const transport = createHttpTransport({ allowList: () => blocks, maxSockets: options.concurrency });
    const start = performance.now();
    let delivered = 0;
    for (;;) {
      const result = await dispatchDue(system, { transport, worker: 'bench', concurrency: options.concurrency, batchSize: 500 });
      delivered += result.delivered;
      if (result.claimed === 0) break;
    }
    const verified = receiver.received.filter((r) => r.verified).length;
    const rejected = receiver.received.length - verified;
    const last = receiver.last();
    const dispatchMs = performance.now() - start;
    report(`notify.${database.dialect}.dispatch_deliveries_per_s`, (delivered / dispatchMs) * 1000, {
      ...meta,
      delivered,
      verified,
      rejected,
      goal: 2000,
    });
    report(`notify.${database.dialect}.until_last_delivery_ms`, last - fanStart, { ...meta, from: 'fan-out start' });

    // Baseline, same run and receiver: the same bodies as raw HTTP POSTs, unsigned, nothing recorded.
    const rows = await runtime.db.kysely
      .selectFrom('notify_notification' as never)
      .select('body' as never)
      .execute();
    const bodies = (rows as { body: string }[]).map((r) => r.body);
    const rawMs = await postAll(receiver.url, bodies, options.concurrency);
    report(`notify.${database.dialect}.baseline_raw_posts_per_s`, (bodies.length / rawMs) * 1000, {
      ...meta,
      posts: bodies.length,
      baseline: true,
    });
  } finally {
    await receiver.close();
    await runtime.close();
    await database.drop();
  }
}

/**
 * `npm run bench -- notify`: one advisory fanned out to every operator of a portfolio (each with a
 * webhook on a loopback receiver that verifies every signature): notifications per second of the fan-out,
 * deliveries per second of the dispatcher and the time until the last delivery, against a same-run
 * baseline of the same bodies posted raw over the same kind of connections. SQLite and PostgreSQL.
 */
export async function benchNotify(options: NotifyBenchOptions): Promise<void> {
  await runOn(benchSqlite('notify'), options);
  const pg = await benchPostgres('notify');
  if (pg !== null) await runOn(pg, options);
}

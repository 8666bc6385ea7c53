import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { addAllowlistEntry, registerWebhook } from '../src/modules/notify/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor } from '../src/platform/context.js';
import { silentLogger } from '../src/platform/log.js';
import { startServer, type StartedServer } from './api.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { jobsDone } from './soak-jobs-done.js';
import { samplePgWaits, type PgWaits } from './soak-pg-waits.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';
import { SOAK_KINDS, SOAK_SHAPE, soakWorkload, type SoakKind, type SoakParty, type SoakRequest } from './soak-workload.js';
import { startBenchReceiver } from './webhook-receiver.js';

export { SOAK_KINDS, type SoakKind } from './soak-workload.js';

export interface SoakOptions {
  readonly seconds: number;
  /** Requests per second the driver offers (open loop, capped by `concurrency` in flight). */
  readonly rate: number;
  readonly db: 'sqlite' | 'pg';
  /** Requests in flight at most; a request due while the cap is reached is skipped and counted. */
  readonly concurrency?: number;
  /** Seconds after which the "warm" memory figure is taken (default a tenth of the run, at least 2). */
  readonly warmSeconds?: number;
  /** Progress lines (stderr in the command); silent by default. */
  readonly progress?: (line: string) => void;
  readonly seed?: number;
  /** Write each server's V8 CPU profile (`--cpu-prof`) into this directory when it stops. */
  readonly cpuProfDir?: string;
  /**
   * Load soak-probe.ts into each server: event-loop utilisation, server-side time per route and (SQLite) time
   * per statement, written to `probe-<pid>.json` in this directory when the server stops.
   */
  readonly probeDir?: string;
  /** Only these kinds of request, in their shares among themselves (default all of {@link SOAK_KINDS}). */
  readonly kinds?: readonly SoakKind[];
  /**
   * Wait up to this many seconds, before the clock starts and after it ends, for the background backlog to
   * be worked off, and count the servers' CPU for the work left after the clock (what a request costs, its
   * background work included). Default 0: no wait.
   */
  readonly drainSeconds?: number;
}

export interface KindFigures {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** A status (or a network error, status 0) the workload did not expect, with one example. */
export interface SoakError {
  readonly kind: SoakKind;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly count: number;
  readonly example: string;
}

export interface ServerMemory {
  readonly pid: number;
  /** Resident set size in bytes: once the server is up, after the warm-up, at the end. */
  readonly startRss: number;
  readonly warmRss: number;
  readonly endRss: number;
  readonly peakRss: number;
}

export interface SoakResult {
  readonly dialect: 'sqlite' | 'postgres';
  readonly servers: number;
  readonly seconds: number;
  readonly offeredRate: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Requests due while `concurrency` were in flight: not sent (the servers could not keep the rate). */
  readonly skipped: number;
  readonly kinds: Record<SoakKind, KindFigures>;
  /** The same per route and caller (`GET /clusters as researcher`), the busiest first. */
  readonly routes: readonly (KindFigures & { readonly route: string })[];
  /**
   * Requests the servers refused with 503 and Retry-After because their background backlog was past its
   * limit (admission control): nothing was accepted, so nothing is lost; counted apart from errors.
   */
  readonly refused: number;
  readonly errors: readonly SoakError[];
  readonly errorCount: number;
  readonly memory: readonly ServerMemory[];
  /** Signed webhook deliveries the loopback receiver got, and how many failed its signature check. */
  readonly deliveries: { readonly verified: number; readonly rejected: number };
  /** Background jobs when the clock started (after the warm-up) and at the end, from GET /api/v1/jobs/status. */
  readonly jobs: { readonly start: BacklogFigures; readonly end: BacklogFigures };
  /** 1-minute load average at the start and the end (os.loadavg, as `uptime` prints it). */
  readonly load: { readonly start: number; readonly end: number };
  /** PostgreSQL only: what the servers' connections were doing while the clock ran. */
  readonly pgWaits: PgWaits | null;
  /**
   * CPU seconds (user + system) while the clock ran: each server's (from /proc), the load generator's own
   * (this process) and, on PostgreSQL, its server processes' for the soak's database (bench/server-cpu.ts), so
   * that a cost per request can be read apart from how much of the machine the run got.
   */
  readonly cpu: { readonly servers: readonly number[]; readonly driver: number; readonly database: number | null };
  /**
   * With `drainSeconds`: the servers' CPU seconds from the end of the clock until the backlog was worked off
   * (or the wait ended), how long that took, and the backlog left then.
   */
  readonly drain: { readonly cpu: number; readonly seconds: number; readonly left: number } | null;
  /** Background jobs that finished while the clock ran, and (with `drainSeconds`) in the wait after it. */
  readonly jobsDone: { readonly clock: number; readonly drain: number | null };
}

/**
 * The servers' background work: jobs queued or running and failed (errors), the most numerous kinds first.
 * Validation slots (`validation.reproduce:<cluster>`) wait for partner validators, not for the servers:
 * they are counted apart, and are no backlog.
 */
export interface BacklogFigures {
  readonly pending: number;
  readonly running: number;
  readonly failed: number;
  readonly failedKinds: readonly string[];
  readonly validatorSlots: number;
  readonly topKinds: readonly { readonly kind: string; readonly pending: number }[];
}

const ADMIN_TOKEN = 'soak-admin-token-0123456789-abcdefghijklmnop';
const RESEARCHERS = SOAK_SHAPE.researchers;
const OPERATORS = SOAK_SHAPE.operators;

/** Resident set size of a process in bytes (Linux /proc), 0 when it cannot be read. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used (Linux /proc, clock ticks of 1/100 s), 0 when it cannot be read. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Latencies of one kind, grown as needed (a 10-minute run at 1,000 requests/s is 600,000 of them). */
class Latencies {
  #values = new Float64Array(1024);
  #length = 0;
  add(ms: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = ms;
  }
  get length(): number {
    return this.#length;
  }
  sorted(): Float64Array {
    return this.#values.slice(0, this.#length).sort();
  }
}

/** Organisations, users, webhooks and the receiver's allow-list entry, through the services, before the servers start. */
async function seed(database: BenchDatabase, env: Record<string, string>, receiverUrl: string, secrets: Map<string, string>) {
  const runtime = await openRuntime(loadConfig(env), silentLogger);
  try {
    const system = runtime.contextFor(cliActor);
    await bootstrap(system, { adminToken: ADMIN_TOKEN });
    const admin = asActor(system, await adminActorOf(system));
    await addAllowlistEntry(admin, { cidr: '127.0.0.1/32', note: 'soak receiver' });
    const party = async (kind: 'researcher' | 'operator', i: number, role: 'admin' | 'analyst'): Promise<SoakParty> => {
      const org = await createOrg(admin, { name: `Soak ${kind} ${i}`, kind, sectors: kind === 'operator' ? ['energy'] : [] });
      const { token } = await createUser(system, org.id, { email: `${kind}${i}@soak.example`, name: `${kind} ${i}`, role });
      return { orgId: org.id, token: token.token };
    };
    const researchers: SoakParty[] = [];
    for (let i = 0; i < RESEARCHERS; i++) researchers.push(await party('researcher', i, 'analyst'));
    const operators: SoakParty[] = [];
    for (let i = 0; i < OPERATORS; i++) {
      const operator = await party('operator', i, 'admin');
      const hook = `/o/${i}`;
      const { secret } = await registerWebhook(system, { orgId: operator.orgId, url: `${receiverUrl}${hook}`, events: ['advisory.*'] });
      secrets.set(hook, secret);
      operators.push(operator);
    }
    return { researchers, operators, dialect: database.dialect };
  } finally {
    await runtime.close();
  }
}

/** The background jobs every server shares, as coordinator staff see them. */
async function backgroundJobs(server: StartedServer): Promise<BacklogFigures> {
  const response = await fetch(`${server.url}/api/v1/jobs/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) throw new Error(`GET /api/v1/jobs/status answered ${response.status}: ${await response.text()}`);
  const status = (await response.json()) as { jobs: { kind: string; pending: number; running: number; failed: number }[] | null };
  const all = status.jobs ?? [];
  const slot = (j: { kind: string }) => j.kind.startsWith('validation.reproduce:');
  const jobs = all.filter((j) => !slot(j));
  const sum = (field: 'pending' | 'running' | 'failed') => jobs.reduce((total, j) => total + j[field], 0);
  return {
    pending: sum('pending'),
    running: sum('running'),
    failed: sum('failed'),
    failedKinds: all.filter((j) => j.failed > 0).map((j) => `${j.kind} (${j.failed})`),
    validatorSlots: all.filter(slot).reduce((total, j) => total + j.pending + j.running, 0),
    topKinds: jobs
      .filter((j) => j.pending > 0)
      .sort((a, b) => b.pending - a.pending)
      .slice(0, 5)
      .map((j) => ({ kind: j.kind, pending: j.pending })),
  };
}

/**
 * `npm run soak`: one server on SQLite, or two on one PostgreSQL database, driven over loopback by a mixed
 * workload at `rate` requests/s — reads of lists and records, finding submissions, SBOM uploads, advisory
 * imports whose matches fan out as signed webhooks to a local receiver — for `seconds`. Every answer the
 * workload does not expect (non-2xx, network error) is an error; memory is each server's RSS.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const concurrency = options.concurrency ?? 64;
  const progress = options.progress ?? (() => undefined);
  const database = options.db === 'sqlite' ? benchSqlite('soak') : await benchPostgres('soak');
  if (database === null) throw new Error('no PostgreSQL server answers (CLEARINGHOUSE_BENCH_PG)');
  const dataDir = database.env.CLEARINGHOUSE_DATA_DIR as string;
  const env = {
    ...database.env,
    CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    CLEARINGHOUSE_RATE_LIMIT: '10000000',
    ...(options.probeDir === undefined ? {} : { SOAK_PROBE_DIR: options.probeDir }),
  };
  const secrets = new Map<string, string>();
  const receiver = await startBenchReceiver(secrets, { keepBodies: false });
  const servers: StartedServer[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    progress(`seeding ${database.dialect} in ${dataDir}`);
    const { researchers, operators } = await seed(database, env, receiver.url, secrets);
    const count = database.dialect === 'postgres' ? 2 : 1;
    for (let i = 0; i < count; i++) {
      servers.push(
        await startServer(env, {
          sources: true,
          logFile: path.join(dataDir, `server-${i}.log`),
          ...(options.cpuProfDir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] }),
          ...(options.probeDir === undefined
            ? {}
            : { imports: [path.join(path.dirname(fileURLToPath(import.meta.url)), 'soak-probe.ts')] }),
        }),
      );
    }
    progress(`${count} server(s) up: ${servers.map((s) => `${s.url} pid ${s.pid}`).join(', ')}; logs in ${dataDir}`);
    const startRss = servers.map((s) => rssOf(s.pid));
    const peakRss = [...startRss];
    let warmRss = [...startRss];
    const workload = soakWorkload(options.seed ?? 20261206, ADMIN_TOKEN, researchers, operators, options.kinds);

    const latencies = Object.fromEntries(Object.keys(SOAK_KINDS).map((k) => [k, new Latencies()])) as Record<SoakKind, Latencies>;
    const errorCounts = Object.fromEntries(Object.keys(SOAK_KINDS).map((k) => [k, 0])) as Record<SoakKind, number>;
    const byRoute = new Map<string, { latencies: Latencies; errors: number }>();
    const routeOf = (request: SoakRequest) => {
      let entry = byRoute.get(request.route);
      if (entry === undefined) byRoute.set(request.route, (entry = { latencies: new Latencies(), errors: 0 }));
      return entry;
    };
    let refused = 0;
    const errors = new Map<string, { error: Omit<SoakError, 'count'>; count: number }>();
    const noteError = (request: SoakRequest, status: number, example: string) => {
      errorCounts[request.kind]++;
      routeOf(request).errors++;
      const route = request.path.replace(/\?.*$/, '').replace(/\/[0-9a-z]{20,}|\/OSV-SOAK-\d+/gi, '/:id');
      const key = `${request.method} ${route} ${status}`;
      const seen = errors.get(key);
      if (seen) seen.count++;
      else
        errors.set(key, {
          error: { kind: request.kind, method: request.method, path: route, status, example: example.slice(0, 500) },
          count: 1,
        });
    };

    const queuedJobs = async () => {
      const { pending, running } = await backgroundJobs(servers[0] as StartedServer);
      return pending + running;
    };
    /** Waits until no background job is queued or running, polling every 2 s, at most `drainSeconds`. */
    const drain = async (): Promise<{ seconds: number; left: number }> => {
      const started = performance.now();
      let left = await queuedJobs();
      while (left > 0 && performance.now() - started < (options.drainSeconds ?? 0) * 1000) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        left = await queuedJobs();
      }
      return { seconds: Math.round((performance.now() - started) / 100) / 10, left };
    };

    let inFlight = 0;
    let sent = 0;
    let skipped = 0;
    let next = 0;
    const send = (request: SoakRequest): Promise<void> => {
      const server = servers[next++ % servers.length] as StartedServer;
      const started = performance.now();
      inFlight++;
      sent++;
      return new Promise<void>((resolve) => {
        const req = http.request(
          `${server.url}${request.path}`,
          {
            method: request.method,
            agent,
            headers: {
              authorization: `Bearer ${request.token}`,
              ...(request.body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const ms = performance.now() - started;
              latencies[request.kind].add(ms);
              routeOf(request).latencies.add(ms);
              const status = res.statusCode ?? 0;
              const text = Buffer.concat(chunks).toString('utf8');
              if (status === 503 && res.headers['retry-after'] !== undefined && text.includes('backlog')) refused++;
              else if (status >= 200 && status < 300) {
                try {
                  request.onOk?.(JSON.parse(text));
                } catch (error) {
                  noteError(request, status, `unreadable answer: ${(error as Error).message}`);
                }
              } else noteError(request, status, text);
              inFlight--;
              resolve();
            });
          },
        );
        req.on('error', (error) => {
          latencies[request.kind].add(performance.now() - started);
          routeOf(request).latencies.add(performance.now() - started);
          noteError(request, 0, error.message);
          inFlight--;
          resolve();
        });
        req.end(request.body);
      });
    };

    // Something of every kind to read before the clock starts.
    const warmup: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) warmup.push(send(workload.make.submission()), send(workload.make.sbom()), send(workload.make.advisories()));
    await Promise.all(warmup);
    const warmupErrors = [...errors.values()].reduce((s, e) => s + e.count, 0);
    if (warmupErrors > 0) progress(`warm-up: ${warmupErrors} errors: ${JSON.stringify([...errors.values()].map((e) => e.error))}`);
    for (const k of Object.keys(SOAK_KINDS) as SoakKind[]) latencies[k] = new Latencies();
    byRoute.clear();
    refused = 0;
    sent = 0;
    if ((options.drainSeconds ?? 0) > 0) progress(`warm-up backlog worked off: ${JSON.stringify(await drain())}`);
    const waits =
      database.dialect === 'postgres'
        ? samplePgWaits(database.env.DATABASE_URL as string, [
            'inventory.match',
            'intake.dedup',
            ...researchers.map((r) => `validation.quota:${r.orgId}`),
          ])
        : null;

    const jobsStart = await backgroundJobs(servers[0] as StartedServer);
    const doneStart = await jobsDone(env);
    const loadStart = loadavg()[0] ?? 0;
    const databaseUrl = database.dialect === 'postgres' ? (database.env.DATABASE_URL as string) : undefined;
    const databaseCpuStart = databaseUrl === undefined ? undefined : await serverCpu(databaseUrl);
    const cpuStart = servers.map((s) => cpuSecondsOf(s.pid));
    const driverStart = process.cpuUsage();
    const warmSeconds = options.warmSeconds ?? Math.max(2, options.seconds / 10);
    const start = performance.now();
    const end = start + options.seconds * 1000;
    let offered = 0;
    let warmTaken = false;
    let lastReport = start;
    const pending = new Set<Promise<void>>();
    while (performance.now() < end) {
      const now = performance.now();
      const due = Math.floor(((now - start) / 1000) * options.rate) - offered;
      for (let i = 0; i < due; i++) {
        offered++;
        if (inFlight >= concurrency) {
          skipped++;
          continue;
        }
        const p = send(workload.next());
        pending.add(p);
        void p.then(() => pending.delete(p));
      }
      if (!warmTaken && now - start >= warmSeconds * 1000) {
        warmRss = servers.map((s) => rssOf(s.pid));
        warmTaken = true;
      }
      if (now - lastReport >= 10_000) {
        servers.forEach((s, i) => (peakRss[i] = Math.max(peakRss[i] ?? 0, rssOf(s.pid))));
        const errorsSoFar = Object.values(errorCounts).reduce((a, b) => a + b, 0);
        progress(
          `${Math.round((now - start) / 1000)}/${options.seconds} s: ${Math.round(sent / ((now - start) / 1000))} req/s, ${errorsSoFar} errors, ${refused} refused, ${skipped} skipped, RSS ${servers.map((s) => `${Math.round(rssOf(s.pid) / 2 ** 20)} MiB`).join(' + ')}, webhooks ${receiver.counts().verified}, jobs queued ${await queuedJobs()}`,
        );
        lastReport = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(pending);
    const pgWaits = (await waits?.stop()) ?? null;
    const elapsed = (performance.now() - start) / 1000;
    const endRss = servers.map((s) => rssOf(s.pid));
    const cpuEnd = servers.map((s) => cpuSecondsOf(s.pid));
    const databaseCpu =
      databaseUrl === undefined || databaseCpuStart === undefined ? null : serverCpuBetween(databaseCpuStart, await serverCpu(databaseUrl));
    const driverCpu = process.cpuUsage(driverStart);
    if (!warmTaken) warmRss = endRss;
    servers.forEach((s, i) => (peakRss[i] = Math.max(peakRss[i] ?? 0, endRss[i] ?? 0)));

    const kinds = Object.fromEntries(
      (Object.keys(SOAK_KINDS) as SoakKind[]).map((k) => {
        const sorted = latencies[k].sorted();
        return [k, { requests: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors: errorCounts[k] }];
      }),
    ) as Record<SoakKind, KindFigures>;
    const routes = [...byRoute]
      .map(([route, entry]) => {
        const sorted = entry.latencies.sorted();
        return { route, requests: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors: entry.errors };
      })
      .sort((a, b) => b.requests - a.requests);
    const errorList = [...errors.values()].map((e) => ({ ...e.error, count: e.count }));
    const counts = receiver.counts();
    const jobsEnd = await backgroundJobs(servers[0] as StartedServer);
    const doneEnd = await jobsDone(env);
    let drained: SoakResult['drain'] = null;
    let doneDrain: number | null = null;
    if ((options.drainSeconds ?? 0) > 0) {
      const { seconds, left } = await drain();
      doneDrain = (await jobsDone(env)) - doneEnd;
      const cpu = servers.reduce((total, s, i) => total + cpuSecondsOf(s.pid) - (cpuEnd[i] ?? 0), 0);
      drained = { cpu: Math.round(cpu * 100) / 100, seconds, left };
    }
    return {
      dialect: database.dialect,
      servers: servers.length,
      seconds: Math.round(elapsed * 10) / 10,
      offeredRate: options.rate,
      requests: sent,
      requestsPerSecond: sent / elapsed,
      skipped,
      kinds,
      routes,
      refused,
      errors: errorList,
      errorCount: errorList.reduce((s, e) => s + e.count, 0) + counts.rejected + jobsEnd.failed,
      memory: servers.map((s, i) => ({
        pid: s.pid,
        startRss: startRss[i] ?? 0,
        warmRss: warmRss[i] ?? 0,
        endRss: endRss[i] ?? 0,
        peakRss: peakRss[i] ?? 0,
      })),
      deliveries: counts,
      jobs: { start: jobsStart, end: jobsEnd },
      load: { start: loadStart, end: loadavg()[0] ?? 0 },
      pgWaits,
      cpu: {
        servers: cpuEnd.map((c, i) => Math.round((c - (cpuStart[i] ?? 0)) * 100) / 100),
        driver: Math.round((driverCpu.user + driverCpu.system) / 1e4) / 100,
        database: databaseCpu,
      },
      drain: drained,
      jobsDone: { clock: doneEnd - doneStart, drain: doneDrain },
    };
  } finally {
    agent.destroy();
    for (const s of servers) s.stop();
    await Promise.all(servers.map((s) => s.exited));
    await receiver.close();
    if (process.env.SOAK_KEEP !== '1') await database.drop();
  }
}

// `npx tsx bench/read-routes.ts DATA_DIR [requests]`: the soak's read routes (its `list` and `record` kinds), each
// answered `requests` times (default 1,000) in this process through Fastify's inject, on a copy of a soak's
// SQLite data directory (`SOAK_KEEP=1 npm run soak -- --db sqlite`, its folder). One JSON line per route: the
// process's CPU microseconds per request (user + system) and the bytes answered. No network and no other
// process: what one checkout's route costs, to compare with another checkout's on the same copy. BENCH_ROUTES
// (parts of route names, comma-separated) picks routes; BENCH_WRITES=N adds N of each of the soak's writes.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { buildServer } from '../src/app/server.js';
import { createUser } from '../src/modules/identity/index.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { mainThreadCpuMs } from './cpu-stages.js';
import { report } from './report.js';
import { soakWorkload, type SoakKind } from './soak-workload.js';

const source = process.argv[2];
if (source === undefined) {
  console.error('usage: npx tsx bench/read-routes.ts DATA_DIR [requests]');
  process.exit(2);
}
const requests = Number(process.argv[3] ?? 1000);
const dir = mkdtempSync(path.join(tmpdir(), 'ch-bench-read-routes-'));
// Reads need no blobs: copying thousands of files would cost more than the run.
cpSync(source, dir, { recursive: true, filter: (from) => path.basename(from) !== 'blobs' });
const ADMIN_TOKEN = 'soak-admin-token-0123456789-abcdefghijklmnop';

const runtime = await openRuntime(
  loadConfig({ CLEARINGHOUSE_DATA_DIR: dir, LOG_LEVEL: 'warn', CLEARINGHOUSE_RATE_LIMIT: '10000000' }),
  silentLogger,
);
try {
  const db = runtime.db.kysely;
  const one = async <T>(query: string) => (await sql.raw<T>(query).execute(db)).rows[0] as T;
  const system = runtime.contextFor(cliActor);
  const party = async (kind: string) => {
    const { id } = await one<{ id: string }>(`select id from identity_org where kind = '${kind}' order by id limit 1`);
    const { token } = await createUser(system, id, { email: `bench-${kind}@read.example`, name: kind, role: 'analyst' });
    return { orgId: id, token: token.token };
  };
  const researcher = await party('researcher');
  const operator = await party('operator');
  const cluster = await one<{ id: string }>('select id from intake_cluster where merged_into is null order by id desc limit 1');
  const submission = await one<{ id: string }>(
    `select id from intake_submission where owner_org_id = '${researcher.orgId}' order by id desc limit 1`,
  );
  const sbom = await one<{ id: string }>(`select id from inventory_sbom where owner_org_id = '${operator.orgId}' order by id desc limit 1`);
  const advisory = await one<{ id: string }>('select id from inventory_advisory order by id desc limit 1');
  const app = await buildServer(runtime, { consoleDir: path.join(dir, 'no-console') });
  const routes: [string, string, string][] = [
    ['GET /clusters as coordinator', '/api/v1/clusters?limit=50', ADMIN_TOKEN],
    ['GET /clusters as researcher', '/api/v1/clusters?limit=50', researcher.token],
    ['GET /inventory/assets as operator', '/api/v1/inventory/assets?limit=50', operator.token],
    ['GET /inventory/advisories as coordinator', '/api/v1/inventory/advisories?limit=50', ADMIN_TOKEN],
    ['GET /inbox as operator', '/api/v1/inbox?limit=50', operator.token],
    ['GET /orgs as coordinator', '/api/v1/orgs?limit=50', ADMIN_TOKEN],
    ['GET /clusters/:id as coordinator', `/api/v1/clusters/${cluster.id}`, ADMIN_TOKEN],
    ['GET /submissions/:id as researcher', `/api/v1/submissions/${submission.id}`, researcher.token],
    ['GET /inventory/sboms/:id as operator', `/api/v1/inventory/sboms/${sbom.id}`, operator.token],
    ['GET /inventory/advisories/:id as coordinator', `/api/v1/inventory/advisories/${advisory.id}`, ADMIN_TOKEN],
  ];
  const only = process.env.BENCH_ROUTES?.split(',');
  for (const [route, url, token] of routes) {
    if (only !== undefined && !only.some((o) => route.includes(o))) continue;
    const ask = () => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const first = await ask();
    if (first.statusCode !== 200) throw new Error(`${route}: ${first.statusCode} ${first.body.slice(0, 300)}`);
    for (let i = 0; i < Math.min(200, requests); i++) await ask();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < requests; i++) await ask();
    const used = process.cpuUsage(cpu);
    const ms = (used.user + used.system) / 1000 / requests;
    report('read_routes.cpu_us_per_request', ms * 1000, {
      route,
      requests,
      wallUs: Math.round(((performance.now() - started) * 1000) / requests),
      bytes: first.rawPayload.length,
    });
  }
  // BENCH_WRITES=N: then N of each of the soak's writes, as its workload makes them (background jobs not run).
  const writes = Number(process.env.BENCH_WRITES ?? 0);
  const workload = soakWorkload(20261207, ADMIN_TOKEN, [researcher], [operator]);
  for (const kind of ['sbom', 'submission', 'advisories'] as SoakKind[]) {
    if (writes === 0 || (only !== undefined && !only.includes(kind))) continue;
    const send = async () => {
      const request = workload.make[kind]();
      const answer = await app.inject({
        method: 'POST',
        url: request.path,
        headers: { authorization: `Bearer ${request.token}`, 'content-type': request.contentType ?? 'application/json' },
        payload: request.body,
      });
      if (answer.statusCode >= 300) throw new Error(`${request.route}: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
    };
    for (let i = 0; i < Math.min(50, writes); i++) await send();
    const cpu = process.cpuUsage();
    const main = mainThreadCpuMs();
    for (let i = 0; i < writes; i++) await send();
    const used = process.cpuUsage(cpu);
    const mainAfter = mainThreadCpuMs();
    report('read_routes.cpu_us_per_request', (used.user + used.system) / writes, {
      route: `POST ${kind}`,
      requests: writes,
      mainThreadUs: main === null || mainAfter === null ? null : Math.round(((mainAfter - main) * 1000) / writes),
    });
  }
  await app.close();
} finally {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}

import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { bootstrap, createOrg } from '../src/modules/identity/index.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { report } from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  for (let i = 0; i < timeoutMs / 50; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server at ${url} did not come up`);
}

export interface StartServerOptions {
  /** Run the sources through tsx instead of the build (what this checkout says, built or not). */
  readonly sources?: boolean;
  /** Append the server's stdout and stderr (its log) to this file instead of discarding them. */
  readonly logFile?: string;
  readonly timeoutMs?: number;
  /** Node options before the entry point (`--cpu-prof`, `--cpu-prof-dir=DIR`). */
  readonly nodeArgs?: readonly string[];
  /** Modules loaded before the server (`--import`), after tsx when running the sources: TypeScript allowed. */
  readonly imports?: readonly string[];
}

export interface StartedServer {
  readonly url: string;
  readonly pid: number;
  /** Settles when the process has ended. */
  readonly exited: Promise<void>;
  stop(): void;
}

/**
 * The built server (`npm run build`) in its own process, as in production, with `env` over this process's;
 * answers once /readyz does. A loaded machine can take tens of seconds to start it.
 */
export async function startServer(env: Record<string, string>, options: StartServerOptions = {}): Promise<StartedServer> {
  const port = await freePort();
  const imports = (options.imports ?? []).flatMap((file) => ['--import', file]);
  const entry = options.sources
    ? ['--import', 'tsx', ...imports, path.join(ROOT, 'src/app/main.ts')]
    : [...imports, path.join(ROOT, 'bin/clearinghouse.js')];
  const log = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
  const server = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(url, options.timeoutMs ?? 120_000);
  } catch (error) {
    server.kill('SIGTERM');
    throw error;
  }
  return { url, pid: server.pid ?? 0, exited, stop: () => void server.kill('SIGTERM') };
}

/**
 * An authenticated list of 50 records on SQLite: GET /api/v1/orgs as the coordinator admin, with 50
 * organisations registered. The server runs in its own process (info-level logs to /dev/null, as in
 * production) and autocannon drives it over loopback from this one.
 */
export async function benchApi(options: { seconds: number; connections: number }): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ch-bench-api-'));
  const adminToken = 'bench-admin-token-0123456789-abcdefghijklmnop';
  const env = {
    CLEARINGHOUSE_DATA_DIR: dir,
    CLEARINGHOUSE_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'info',
    CLEARINGHOUSE_RATE_LIMIT: '10000000',
  };
  const runtime = await openRuntime(loadConfig(env), silentLogger);
  const system = runtime.contextFor(cliActor);
  await bootstrap(system, { adminToken });
  for (let i = 1; i < 50; i++) await createOrg(system, { name: `Operator ${i}`, kind: 'operator', sectors: ['energy'] });
  await runtime.close();

  const server = await startServer(env);
  const url = server.url;
  try {
    const request = { url: `${url}/api/v1/orgs?limit=50`, headers: { authorization: `Bearer ${adminToken}` } };
    const check = await fetch(request.url, { headers: request.headers });
    const body = (await check.json()) as { items: unknown[] };
    if (body.items.length !== 50) throw new Error(`expected 50 orgs in the list, got ${body.items.length}`);
    await autocannon({ ...request, connections: options.connections, duration: 2 });
    const result = await autocannon({ ...request, connections: options.connections, duration: options.seconds });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors during the run`);
    const meta = { connections: options.connections, seconds: options.seconds, dialect: 'sqlite', records: 50 };
    report('api.orgs_list50.requests_per_s', result.requests.average, meta);
    report('api.orgs_list50.p50_ms', result.latency.p50, meta);
    report('api.orgs_list50.p99_ms', result.latency.p99, meta);
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

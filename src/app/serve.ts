import { warmCsafValidator } from '../modules/advisories/index.js';
import { bootstrap, type BootstrapResult } from '../modules/identity/index.js';
import type { Output } from '../platform/cli/index.js';
import type { Config } from '../platform/config.js';
import { keepAllStatisticsFresh } from '../platform/db/index.js';
import type pino from 'pino';
import { loadOrCreateSigningKey } from '../platform/signing-key.js';
import { cliActor, openRuntime } from './runtime.js';
import { buildServer } from './server.js';

/**
 * What a start prints once the logs of start-up are done: where to reach the server and, on the first
 * start, the one-time admin token in a frame, so that it is not buried among log lines.
 */
export function startBanner(address: string, database: string, bootstrapped: BootstrapResult): string {
  const lines = [`clearinghouse listening on ${address} (database ${database})`, `API docs at ${address}/api/docs`];
  if (!bootstrapped.created) return lines.join('\n');
  const frame = [
    `created the coordinator organisation "${bootstrapped.org.name}" and its admin ${bootstrapped.admin.email}`,
    bootstrapped.token === null ? 'admin API token: the value of CLEARINGHOUSE_ADMIN_TOKEN' : 'admin API token (shown once, keep it safe):',
    ...(bootstrapped.token === null ? [] : ['', `  ${bootstrapped.token}`]),
  ];
  const width = Math.max(...frame.map((l) => l.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [...lines, '', rule, ...frame.map((l) => `| ${l.padEnd(width)} |`), rule].join('\n');
}

/** How often a server looks for tables whose planner statistics went stale (PostgreSQL). */
const STATISTICS_CHECK_MS = 10_000;

/**
 * Runs the server until SIGINT or SIGTERM: migrates, bootstraps the coordinator on an empty database
 * (printing the admin token once, on stderr, framed after the start-up logs), listens, and shuts down cleanly.
 */
export async function serve(config: Config, log: pino.Logger, output: Output): Promise<void> {
  const runtime = await openRuntime(config, log);
  const result = await bootstrap(runtime.contextFor(cliActor), { adminToken: config.adminToken });
  // Created now, outside the database, so that the first scheduled checkpoint has a key to sign with.
  const checkpointKey = loadOrCreateSigningKey(config.auditKeyFile);
  log.info({ keyId: checkpointKey.keyId, file: config.auditKeyFile }, 'audit checkpoints are signed with this key');
  const app = await buildServer(runtime);
  runtime.jobs.start();
  const statistics = keepAllStatisticsFresh(runtime.db, {
    everyMs: STATISTICS_CHECK_MS,
    onAnalyzed: (tables) => log.debug({ tables }, 'gathered planner statistics'),
    onError: (error) => log.warn({ err: error }, 'could not gather planner statistics; trying again later'),
  });
  const address = await app.listen({ port: config.port, host: config.host });
  log.info({ address, database: runtime.db.description, blobs: config.blobs }, 'clearinghouse listening');
  output.err(startBanner(address, runtime.db.description, result));
  // The first advisory draft would otherwise wait for the CSAF validator to load; it loads in its own thread.
  if (config.warmCsafValidator) warmCsafValidator();

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await statistics.stop();
  await runtime.close();
}

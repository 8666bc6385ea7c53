import { bootstrap } from '../modules/identity/index.js';
import type { Output } from '../platform/cli/index.js';
import type { Config } from '../platform/config.js';
import type pino from 'pino';
import { loadOrCreateSigningKey } from '../platform/signing-key.js';
import { cliActor, openRuntime } from './runtime.js';
import { buildServer } from './server.js';

/**
 * Runs the server until SIGINT or SIGTERM: migrates, bootstraps the coordinator on an empty database
 * (printing the admin token once, on stderr), listens, and shuts down cleanly.
 */
export async function serve(config: Config, log: pino.Logger, output: Output): Promise<void> {
  const runtime = await openRuntime(config, log);
  const result = await bootstrap(runtime.contextFor(cliActor), { adminToken: config.adminToken });
  if (result.created) {
    output.err(`created the coordinator organisation "${result.org.name}" and its admin ${result.admin.email}`);
    output.err(
      result.token !== null
        ? `admin API token (shown once, keep it safe):\n\n  ${result.token}\n`
        : 'admin API token: the value of CLEARINGHOUSE_ADMIN_TOKEN',
    );
  }
  // Created now, outside the database, so that the first scheduled checkpoint has a key to sign with.
  const checkpointKey = loadOrCreateSigningKey(config.auditKeyFile);
  log.info({ keyId: checkpointKey.keyId, file: config.auditKeyFile }, 'audit checkpoints are signed with this key');
  const app = await buildServer(runtime);
  runtime.jobs.start();
  const address = await app.listen({ port: config.port, host: config.host });
  log.info({ address, database: runtime.db.description, blobs: config.blobs }, 'clearinghouse listening');
  output.err(`clearinghouse listening on ${address} (database ${runtime.db.description}); API docs at ${address}/api/docs`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await runtime.close();
}

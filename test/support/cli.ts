import { afterEach, beforeEach } from 'vitest';
import { runCli } from '../../src/app/cli.js';
import type { Output } from '../../src/platform/cli/index.js';
import { createTestDatabaseUrl, type Dialect, type TestDatabaseUrl } from './databases.js';
import { testLogger } from './run-logs.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T>(): T;
}

/** Runs the `clearinghouse` CLI in this process with the given environment, capturing its output. */
export async function cli(env: Record<string, string>, ...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const output: Output = {
    out: (text) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void (stderr += text.endsWith('\n') ? text : `${text}\n`),
    isTTY: false,
  };
  const code = await runCli(argv, { env: { LOG_LEVEL: 'silent', ...env }, output, logger: testLogger('cli') });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/**
 * A fresh database of `dialect` for each test, as the CLI's environment (`DATABASE_URL` and the data
 * directory), initialised with `init` unless `init: false`; dropped after each test.
 */
export function useCliDatabase(
  dialect: Dialect,
  options: { readonly init?: boolean } = {},
): () => { target: TestDatabaseUrl; env: Record<string, string> } {
  let current: { target: TestDatabaseUrl; env: Record<string, string> } | undefined;
  beforeEach(async () => {
    // `init` on a copy of the migrated template does what it does on a database migrated by an earlier
    // command: bootstraps. Without `init`, the first command sees an empty database, as a new user's does.
    const target = await createTestDatabaseUrl(dialect, { migrated: options.init !== false });
    current = { target, env: { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir } };
    if (options.init !== false) await cli(current.env, 'init');
  });
  afterEach(async () => {
    await current?.target.drop();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('useCliDatabase: only inside a test');
    return current;
  };
}

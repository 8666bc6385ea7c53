import { runCli } from '../../src/app/cli.js';
import type { Output } from '../../src/platform/cli/index.js';
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

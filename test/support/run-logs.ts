import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { silentLogger } from '../../src/platform/log.js';

/**
 * Where the whole test run keeps its logs, so that the global teardown can search every line of them for
 * secrets (test/global-setup.ts). Set by the global setup; absent when a file runs outside Vitest.
 */
export const RUN_LOG_DIR_ENV = 'CLEARINGHOUSE_TEST_LOG_DIR';

let opened = 0;
const fileFor = (dir: string, label: string) => path.join(dir, `${label.replace(/[^\w.-]+/g, '-')}-${process.pid}-${++opened}.log`);

/**
 * The logger a test gives the runtimes and servers it builds: everything, down to `trace`, into this run's
 * log directory — so the secrets-in-logs check covers what the tests really did — or silence when there is
 * no run directory.
 */
export function testLogger(label = 'runtime'): pino.Logger {
  const dir = process.env[RUN_LOG_DIR_ENV];
  if (dir === undefined || dir === '') return silentLogger;
  let logger = loggers.get(label);
  if (logger === undefined) {
    // One file per label and process, shared by every runtime the process builds: a file per runtime would
    // hold a descriptor open for each of the thousands a run creates.
    logger = pino(
      { level: 'trace', base: { pid: process.pid } },
      pino.destination({ dest: fileFor(dir, label), sync: false, mkdir: true }),
    );
    loggers.set(label, logger);
  }
  return logger;
}

const loggers = new Map<string, pino.Logger>();

/**
 * Copies the log lines of a child process's standard error (the JSON lines the server and the CLI log) into
 * the run's log directory. The rest of standard error is command output, not logs — among it the bootstrap
 * admin token a first `serve` or `init` shows its operator once, by design.
 */
export function keepChildLogs(child: ChildProcess, label: string): void {
  const dir = process.env[RUN_LOG_DIR_ENV];
  if (dir === undefined || dir === '' || child.stderr === null) return;
  const out = createWriteStream(fileFor(dir, label), { flags: 'a' });
  out.on('error', () => undefined);
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) out.write(`${line}\n`);
  });
  child.once('close', () => {
    if (partial.startsWith('{')) out.write(`${partial}\n`);
    out.end();
  });
}

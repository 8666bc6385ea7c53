import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepChildLogs } from './run-logs.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Runs a TypeScript entry point of this repository in a child Node process (through tsx, on the sources).
 * A server it starts does not load the CSAF validator before a draft needs it (`CLEARINGHOUSE_CSAF_WARM=0`,
 * unless `env` or the caller's environment says otherwise): the suite starts servers by the hundred and
 * drafts in few of them, and each load is ~2.3 s of CPU on a machine the other test files share.
 */
export function spawnTs(entry: string, args: readonly string[], env: Record<string, string | undefined>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { CLEARINGHOUSE_CSAF_WARM: '0', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  keepChildLogs(child, `${path.basename(entry, '.ts')}-${args[0] ?? ''}`);
  return child;
}

/** Resolves with the first line of stdout or stderr that matches, rejecting if the process exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; output so far:\n${buffer}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) finish(null, match);
    };
    const onExit = (code: number | null) => finish(new Error(`process exited (${code}) before ${pattern}; output:\n${buffer}`));
    function finish(error: Error | null, match?: RegExpMatchArray) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match as RegExpMatchArray);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Runs a child to completion, collecting its output. */
export function runToEnd(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

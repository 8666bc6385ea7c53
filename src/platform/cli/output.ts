import type * as CliProgress from 'cli-progress';
import { lazyPackage } from '../lazy-package.js';

/** Where commands write: results to stdout, progress and errors to stderr. Replaceable in tests. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  get isTTY() {
    return process.stderr.isTTY === true;
  },
};

/** `1 job`, `2 jobs`: a count with its noun in the right number. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Prints `value` as JSON with `--json`, else as the human rendering. */
export function emit<T>(output: Output, json: boolean | undefined, value: T, human: (value: T) => string): void {
  output.out(json ? JSON.stringify(value, null, 2) : human(value));
}

/** A plain table: columns padded to their widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

// Loaded when a bar is drawn: a command piped or run in CI never draws one.
const cliProgress = lazyPackage<typeof CliProgress>('cli-progress');

/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function progress(output: Output, label: string, total: number): Progress {
  if (!output.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new (cliProgress().SingleBar)({
    format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta}s`,
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(total, 0);
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

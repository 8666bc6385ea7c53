import { cpus, totalmem } from 'node:os';

/** One figure: a JSON line on stdout, as `npm run bench` promises. */
export function report(bench: string, value: number, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ bench, value: Math.round(value * 100) / 100, ...extra }));
}

/** What the figures were measured on, printed once on stderr so that stdout stays JSON lines. */
export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

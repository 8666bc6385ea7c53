import { table } from '../../../platform/cli/index.js';

/**
 * Where a command's wall time went, stage by stage (`clearinghouse match --timings`). Stages keep the order
 * they were first timed in; a stage timed several times (one OSV file after another) adds up.
 */
export class StageTimings {
  private readonly ms = new Map<string, number>();
  private readonly notes = new Map<string, string>();
  private readonly started = performance.now();

  add(stage: string, ms: number): void {
    this.ms.set(stage, (this.ms.get(stage) ?? 0) + ms);
  }

  /** Runs `work`, adding its wall time to `stage`. */
  time<T>(stage: string, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  /** A word on what a stage did (files reused, records matched). */
  note(stage: string, text: string): void {
    this.notes.set(stage, text);
  }

  /**
   * The stages and their sum. `startupMs` is the time from the process's start to the command's (Node
   * itself, then loading the code); `totalMs` counts from the process's start; `cpuMs` is the CPU time
   * (user + system) the process has used, which a loaded machine inflates less than wall time.
   */
  report(startupMs: number): { stages: { stage: string; ms: number; note?: string }[]; totalMs: number; cpuMs: number } {
    const round = (n: number): number => Math.round(n * 10) / 10;
    const stages = [
      { stage: 'start-up', ms: startupMs, note: 'Node, then the command’s code loaded' },
      ...[...this.ms].map(([stage, ms]) => ({ stage, ms, note: this.notes.get(stage) })),
    ].map(({ stage, ms, note }) => ({ stage, ms: round(ms), ...(note === undefined ? {} : { note }) }));
    const cpu = process.cpuUsage();
    return { stages, totalMs: round(startupMs + performance.now() - this.started), cpuMs: round((cpu.user + cpu.system) / 1000) };
  }

  /** The human form: one line per stage with its share of the total. */
  static human(report: ReturnType<StageTimings['report']>): string {
    const share = (ms: number): string => `${((100 * ms) / (report.totalMs || 1)).toFixed(0)} %`;
    return [
      'timings (wall clock):',
      table(
        ['STAGE', 'MS', 'SHARE', ''],
        [
          ...report.stages.map((s) => [s.stage, s.ms.toFixed(1), share(s.ms), s.note ?? '']),
          ['total', report.totalMs.toFixed(1), '100 %', `the process used ${report.cpuMs.toFixed(0)} ms of CPU`],
        ],
      ),
    ].join('\n');
  }
}

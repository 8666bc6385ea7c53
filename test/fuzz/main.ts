import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { harnessArgs } from '#test-support/harness-args.js';
import { hasSharedData, SHARED_DATA } from '#test-support/shared-data.js';
import { fuzzTarget, minimize } from './runner.js';
import { TARGETS, targetNamed } from './targets.js';

/**
 * `npm run fuzz -- [--duration SECONDS] [--seed N] [--parser NAME]... [--out DIR]`
 *
 * Fuzzes every parser (or the named ones) for the whole duration, shared evenly, and prints one JSON line
 * per parser: inputs run, accepted and refused, failures by signature, inputs slower than a second, and a
 * human summary. Failing inputs, minimized, are written to DIR (default fuzz-findings/) for a regression
 * test, and the first slow ones as they were, to time again. Exits 1 when any parser failed.
 */

const values = harnessArgs(
  `npm run fuzz -- [--duration SECONDS] [--seed N] [--parser NAME]... [--out DIR]\nparsers: ${TARGETS.map((t) => t.name).join(', ')}`,
  {
    duration: { type: 'string', default: '60' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    parser: { type: 'string', multiple: true },
    out: { type: 'string', default: 'fuzz-findings' },
  },
);

const seed = Number(values.seed);
const duration = Number(values.duration);
if (!Number.isInteger(seed) || !Number.isFinite(duration) || duration <= 0) {
  process.stderr.write('--seed must be an integer and --duration a positive number of seconds\n');
  process.exit(2);
}

let selected;
try {
  selected = (values.parser ?? []).flatMap((p) => p.split(',')).map(targetNamed);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const targets = selected.length > 0 ? selected : TARGETS;
const runnable = targets.filter((t) => t.corpus === null || hasSharedData(t.corpus));
for (const t of targets.filter((x) => !runnable.includes(x)))
  process.stderr.write(`skipping ${t.name}: ${path.join(SHARED_DATA, t.corpus ?? '')} is absent (see ../shared/data/README.md)\n`);

const perTargetMs = (duration * 1000) / Math.max(1, runnable.length);
let failed = false;
for (const [i, target] of runnable.entries()) {
  process.stderr.write(`[${i + 1}/${runnable.length}] ${target.name}: fuzzing for ${(perTargetMs / 1000).toFixed(0)} s (seed ${seed})…\n`);
  const result = fuzzTarget(target, { seed, durationMs: perTargetMs });
  const written: string[] = [];
  for (const [n, failure] of result.failures.entries()) {
    mkdirSync(values.out, { recursive: true });
    const file = path.join(values.out, `${target.name}-${seed}-${n}.bin`);
    writeFileSync(file, minimize(target, failure));
    written.push(file);
  }
  // Slow inputs are kept too, to be timed again on a quiet machine: a shared one makes anything slow.
  for (const [n, slow] of result.slow.slice(0, 3).entries()) {
    mkdirSync(values.out, { recursive: true });
    const file = path.join(values.out, `${target.name}-${seed}-slow-${n}.bin`);
    writeFileSync(file, slow.input);
    written.push(file);
  }
  const failures = Object.values(result.signatures).reduce((a, b) => a + b, 0);
  failed ||= failures > 0;
  const summary =
    `${target.name}: ${result.inputs} inputs from ${result.seeds} seeds in ${(result.elapsedMs / 1000).toFixed(1)} s — ` +
    `${result.accepted} read, ${result.refused} refused cleanly, ${failures} failed` +
    (failures > 0 ? ` (${Object.keys(result.signatures).length} distinct; minimized inputs in ${values.out}/)` : '') +
    `; slowest ${result.maxMs} ms${result.slow.length > 0 ? `, ${result.slow.length} over 1 s` : ''}`;
  process.stdout.write(
    `${JSON.stringify({
      parser: target.name,
      seed,
      seeds: result.seeds,
      inputs: result.inputs,
      accepted: result.accepted,
      refused: result.refused,
      failures,
      signatures: result.signatures,
      slowInputs: result.slow.map((s) => ({ ms: s.ms, bytes: s.input.length })),
      maxMs: result.maxMs,
      elapsedMs: result.elapsedMs,
      findings: written,
      summary,
    })}\n`,
  );
}
process.exit(failed ? 1 : 0);

import { FieldReader } from '../../../platform/input/field-reader.js';

/**
 * Cyber-capability benchmarks the program knows by name. Any other benchmark is accepted too, under a
 * normalized key, so that an agency is never stopped from reporting a result.
 */
export const KNOWN_BENCHMARKS = [
  { key: 'cybench', name: 'Cybench', pattern: /^cybench/ },
  { key: 'cyberseceval', name: 'CyberSecEval', pattern: /^(cyberseceval|cyse\d*(_|$)|purple[-_]?llama)/ },
  { key: 'cve-bench', name: 'CVE-Bench', pattern: /^cve[-_]?bench/ },
  { key: 'cybergym', name: 'CyberGym', pattern: /^cyber[-_]?gym/ },
  { key: 'bountybench', name: 'BountyBench', pattern: /^bounty[-_]?bench/ },
] as const;

/** An evaluation is an imported Inspect log or benchmark results entered by hand. */
export const EVALUATION_KINDS = ['inspect', 'benchmark'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** One number an evaluation produced, or null when it was not scored (NaN / Infinity in the log). */
export interface Measurement {
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number | null;
  /** The scorer that produced it (Inspect), or null. */
  readonly scorer: string | null;
}

export interface BenchmarkName {
  readonly key: string;
  readonly name: string;
  readonly known: boolean;
}

/**
 * `inspect_evals/cybench` → `cybench`, `CyberSecEval 3` → `cyberseceval`, `My-Eval` → `my-eval`: the last
 * path segment, lower-cased, spaces as hyphens, matched against the known benchmarks.
 */
export function normalizeBenchmark(raw: string): BenchmarkName {
  const last = raw.trim().split('/').filter(Boolean).pop() ?? raw.trim();
  const slug = last.toLowerCase().replace(/\s+/g, '-');
  const known = KNOWN_BENCHMARKS.find((b) => b.pattern.test(slug));
  return known === undefined ? { key: slug, name: last, known: false } : { key: known.key, name: known.name, known: true };
}

export interface BenchmarkResultInput {
  readonly benchmark?: unknown;
  readonly metric?: unknown;
  readonly value?: unknown;
  readonly samples?: unknown;
  readonly notes?: unknown;
}

export interface BenchmarkResult {
  readonly benchmark: BenchmarkName;
  readonly metric: string;
  readonly value: number;
  readonly samples: number | null;
  readonly notes: string | null;
}

export const MAX_BENCHMARK_RESULTS = 200;

/** Checks named benchmark results (benchmark, metric, value); throws InputError naming each bad field. */
export function parseBenchmarkResults(input: unknown): BenchmarkResult[] {
  const r = new FieldReader();
  if (input === undefined || (Array.isArray(input) && input.length === 0))
    r.add('/results', `must be an array of 1 to ${MAX_BENCHMARK_RESULTS} results`);
  const results = r.list('/results', input, MAX_BENCHMARK_RESULTS, (item, at) => {
    const x = (item ?? {}) as BenchmarkResultInput;
    return {
      benchmark: normalizeBenchmark(r.text(`${at}/benchmark`, x.benchmark, 200)),
      metric: r.text(`${at}/metric`, x.metric, 200),
      value: r.number(`${at}/value`, x.value),
      samples: x.samples === undefined ? null : r.integer(`${at}/samples`, x.samples, 0),
      notes: r.optionalText(`${at}/notes`, x.notes, 2000),
    };
  });
  r.done();
  return results;
}

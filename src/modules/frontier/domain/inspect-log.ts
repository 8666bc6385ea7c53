import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { normalizeBenchmark, type Measurement } from './benchmarks.js';
import { parseLenientJson } from './lenient-json.js';
import { looksLikeZip, openZip, type ZipArchive, type ZipLimits } from '../../../platform/zip.js';

/**
 * Reads Inspect (UK AISI) evaluation logs: a `.json` log (the whole EvalLog, samples included) or an
 * `.eval` archive (`header.json`, `summaries.json` or `_journal/summaries/*.json`, `samples/*.json`). Only
 * what the review needs is kept: the task, the model, the status, aggregate metrics and how many samples
 * were scored. A NaN or infinite score is "unscored", never zero.
 */

export interface InspectSummary {
  readonly format: 'inspect-json' | 'inspect-eval';
  readonly task: string;
  /** Normalized benchmark key of the task, e.g. `cybench` for `inspect_evals/cybench`. */
  readonly benchmark: string;
  readonly taskVersion: string | null;
  readonly model: string;
  readonly createdAt: string | null;
  /** Inspect's run status: `success`, `error`, `cancelled` or `started`. */
  readonly status: string;
  readonly samples: { readonly total: number; readonly scored: number; readonly unscored: number };
  readonly metrics: readonly Measurement[];
  /** How many NaN / Infinity tokens the log held. */
  readonly nonFiniteValues: number;
}

export const INSPECT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 200_000,
});

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function invalid(detail: string): InputError {
  return new InputError(`not an Inspect evaluation log: ${detail}`, [{ pointer: '/file', detail }]);
}

/** Inspect's `value_to_float`: C/I/P/N grades, booleans, numbers and numeric strings; null = unscored. */
export function scoreValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const grade = ({ C: 1, I: 0, P: 0.5, N: 0 } as Record<string, number>)[value.toUpperCase()];
    if (grade !== undefined) return grade;
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A sample counts as scored when any of its scores has a finite value (dict-valued scores included). */
function sampleScored(sample: unknown): boolean {
  if (!isObject(sample) || !isObject(sample.scores)) return false;
  return Object.values(sample.scores).some((score) => {
    const value = isObject(score) ? score.value : undefined;
    if (isObject(value)) return Object.values(value).some((v) => scoreValue(v) !== null);
    return scoreValue(value) !== null;
  });
}

function metricsOf(results: unknown, benchmark: string): Measurement[] {
  if (!isObject(results) || !Array.isArray(results.scores)) return [];
  const out: Measurement[] = [];
  for (const score of results.scores) {
    if (!isObject(score) || !isObject(score.metrics)) continue;
    const scorer = str(score.name) ?? str(score.scorer);
    for (const [key, metric] of Object.entries(score.metrics)) {
      const value = isObject(metric) ? metric.value : metric;
      out.push({
        benchmark,
        metric: (isObject(metric) ? str(metric.name) : null) ?? key,
        value: typeof value === 'number' && Number.isFinite(value) ? value : null,
        scorer,
      });
    }
  }
  return out;
}

function sampleCounts(samples: readonly unknown[], header: Json): InspectSummary['samples'] {
  const scored = samples.filter(sampleScored).length;
  const results = isObject(header.results) ? header.results : {};
  const declared = typeof results.total_samples === 'number' ? results.total_samples : null;
  const total = Math.max(samples.length, declared ?? 0);
  return { total, scored, unscored: total - scored };
}

function summarize(
  format: InspectSummary['format'],
  header: unknown,
  samples: readonly unknown[],
  nonFiniteValues: number,
): InspectSummary {
  if (!isObject(header) || !isObject(header.eval)) throw invalid('there is no "eval" section');
  const spec = header.eval;
  const task = str(spec.task);
  const model = str(spec.model);
  if (task === null) throw invalid('eval.task is missing');
  if (model === null) throw invalid('eval.model is missing');
  const benchmark = normalizeBenchmark(task).key;
  const version = spec.task_version;
  return {
    format,
    task,
    benchmark,
    taskVersion: typeof version === 'number' || typeof version === 'string' ? String(version) : null,
    model,
    createdAt: str(spec.created),
    status: str(header.status) ?? 'unknown',
    samples: sampleCounts(samples, header),
    metrics: metricsOf(header.results, benchmark),
    nonFiniteValues,
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw invalid(`${what} is not UTF-8 text`);
  }
}

function readJsonEntry(zip: ZipArchive, name: string, counter: { nonFinite: number }): unknown {
  const bytes = zip.read(name);
  if (bytes === undefined) return undefined;
  const parsed = parseLenientJson(decode(bytes, name), name);
  counter.nonFinite += parsed.nonFinite;
  return parsed.value;
}

/** Samples (or their summaries) of an archive: `summaries.json`, else the journal, else the samples. */
function archiveSamples(zip: ZipArchive, counter: { nonFinite: number }): unknown[] {
  const summaries = readJsonEntry(zip, 'summaries.json', counter);
  if (Array.isArray(summaries)) return summaries;
  const journal = zip.entries.filter((e) => /^_journal\/summaries\/\d+\.json$/.test(e.name)).map((e) => e.name);
  const names = journal.length > 0 ? journal : zip.entries.filter((e) => /^samples\/[^/]+\.json$/.test(e.name)).map((e) => e.name);
  return names.flatMap((name) => {
    const value = readJsonEntry(zip, name, counter);
    return Array.isArray(value) ? value : [value];
  });
}

/**
 * Reads an Inspect log from its bytes; the format is told by the bytes (a ZIP archive is `.eval`),
 * whatever the file is called. Throws InputError (400) for a damaged or foreign file, PayloadTooLargeError
 * when an archive would inflate beyond {@link INSPECT_ZIP_LIMITS}.
 */
export function readInspectLog(bytes: Uint8Array): InspectSummary {
  if (looksLikeZip(bytes)) {
    const zip = openZip(bytes, INSPECT_ZIP_LIMITS);
    const counter = { nonFinite: 0 };
    const header = readJsonEntry(zip, 'header.json', counter) ?? readJsonEntry(zip, '_journal/start.json', counter);
    if (header === undefined) throw invalid('the archive has no header.json');
    return summarize('inspect-eval', header, archiveSamples(zip, counter), counter.nonFinite);
  }
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first !== 0x7b) throw new UnsupportedMediaTypeError('an Inspect log is a .json file (a JSON object) or a .eval ZIP archive');
  const parsed = parseLenientJson(decode(bytes, 'the log'), 'the log');
  const samples = isObject(parsed.value) && Array.isArray(parsed.value.samples) ? parsed.value.samples : [];
  return summarize('inspect-json', parsed.value, samples, parsed.nonFinite);
}

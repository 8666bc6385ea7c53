import { deflateRawSync } from 'node:zlib';
import { compress, init } from '@bokuweb/zstd-wasm';
import { crc32 } from '../../../platform/zip.js';

/**
 * Builds Inspect logs for tests: the `.json` text as Python writes it (bare NaN included) and `.eval` ZIP
 * archives with stored, deflated or zstd-compressed entries, through a tiny ZIP writer.
 */

export type Method = 'stored' | 'deflate' | 'zstd';

export interface ZipFile {
  readonly name: string;
  readonly content: string | Uint8Array;
  readonly method?: Method;
}

let zstdReady: Promise<void> | undefined;

/** zstd-wasm needs its WebAssembly module loaded once per process. */
export function zstdInit(): Promise<void> {
  zstdReady ??= init();
  return zstdReady;
}

const METHOD_CODES: Record<Method, number> = { stored: 0, deflate: 8, zstd: 93 };

function compressed(data: Uint8Array, method: Method): Uint8Array {
  if (method === 'stored') return data;
  if (method === 'deflate') return deflateRawSync(data);
  return compress(data, 3);
}

/** The fields a local header (from byte 4) and a central-directory entry (from byte 6) share, in the same order. */
function writeEntryFields(
  header: Buffer,
  at: number,
  f: { version: number; method: number; crc: number; compressed: number; size: number; nameLength: number },
): void {
  header.writeUInt16LE(f.version, at);
  header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressed, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}

/** A ZIP archive of the files; call {@link zstdInit} first when any entry uses zstd. */
export function buildZip(files: readonly ZipFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
    const method = file.method ?? 'deflate';
    const body = Buffer.from(compressed(data, method));
    const name = Buffer.from(file.name, 'utf8');
    const fields = {
      version: method === 'zstd' ? 63 : 20,
      method: METHOD_CODES[method],
      crc: crc32(data),
      compressed: body.length,
      size: data.length,
      nameLength: name.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(63, 4);
    writeEntryFields(central, 6, fields);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface LogSpec {
  readonly task?: string;
  readonly model?: string;
  /** Metric values as JSON tokens: numbers or the bare words NaN / Infinity. */
  readonly metrics?: Readonly<Record<string, string>>;
  /** One score token per sample: "C", "I", 0.5, NaN… */
  readonly scores?: readonly string[];
}

const SPEC_DEFAULTS = {
  task: 'inspect_evals/cybench',
  model: 'example/frontier-1',
  metrics: { accuracy: '0.4', stderr: 'NaN' },
  scores: ['"C"', '"I"', 'NaN'],
};

/** header.json of a log, as Inspect's Python writes it (bare NaN stays bare). */
export function headerJson(spec: LogSpec = {}): string {
  const s = { ...SPEC_DEFAULTS, ...spec };
  const metrics = Object.entries(s.metrics)
    .map(([name, value]) => `"${name}": {"name": "${name}", "value": ${value}, "params": {}}`)
    .join(', ');
  return `{"version": 2, "status": "success",
 "eval": {"run_id": "r1", "created": "2026-06-03T10:00:00+00:00", "task": "${s.task}", "task_version": 0, "model": "${s.model}", "dataset": {"name": "demo", "samples": ${s.scores.length}}},
 "results": {"total_samples": ${s.scores.length}, "completed_samples": ${s.scores.length}, "scores": [{"name": "includes", "scorer": "includes", "params": {}, "metrics": {${metrics}}}]},
 "stats": {"started_at": "2026-06-03T10:00:00+00:00", "completed_at": "2026-06-03T10:05:00+00:00", "model_usage": {}}}`;
}

function sampleJson(index: number, score: string): string {
  return `{"id": ${index + 1}, "epoch": 1, "input": "task ${index + 1} \\"NaN\\" in a string", "target": "flag", "scores": {"includes": {"value": ${score}, "answer": "x"}}}`;
}

/** A whole `.json` log: the header with its samples. */
export function inspectJsonLog(spec: LogSpec = {}): Buffer {
  const scores = spec.scores ?? SPEC_DEFAULTS.scores;
  const header = headerJson(spec).trimEnd().replace(/}$/, '');
  return Buffer.from(`${header}, "samples": [${scores.map((s, i) => sampleJson(i, s)).join(', ')}]}`, 'utf8');
}

/** An `.eval` archive: header, summaries and samples, every entry with `method`. */
export function inspectEvalArchive(spec: LogSpec = {}, method: Method = 'deflate', withSummaries = true): Buffer {
  const scores = spec.scores ?? SPEC_DEFAULTS.scores;
  const files: ZipFile[] = [
    { name: '_journal/start.json', content: '{"version": 2, "eval": {"task": "x", "model": "y"}}', method },
    { name: 'header.json', content: headerJson(spec), method },
    ...scores.map((s, i) => ({ name: `samples/${i + 1}_epoch_1.json`, content: sampleJson(i, s), method })),
  ];
  if (withSummaries) files.push({ name: 'summaries.json', content: `[${scores.map((s, i) => sampleJson(i, s)).join(', ')}]`, method });
  return buildZip(files);
}

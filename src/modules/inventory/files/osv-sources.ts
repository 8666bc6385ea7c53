import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../../../platform/errors.js';
import { filesUnder } from '../../../platform/files.js';
import { readYaml } from '../../../platform/input/yaml.js';
import type { OsvRecord } from '../domain/osv-record.js';
import { readValidOsvRecord } from '../service/osv-input.js';
import { readZip } from './zip-reader.js';

/**
 * Where advisories are read from on disk: an OSV file (JSON or YAML; one record, an array of them, or an
 * OSV API `{"vulns": […]}` answer), a directory tree of such files, or a ZIP of them (osv.dev's `all.zip`).
 * Used by `clearinghouse match` (offline) and `inventory advisories import`.
 */

/** One file to read, on disk or inside a ZIP. */
export interface OsvSource {
  /** `path` or `archive.zip!entry`, for messages. */
  readonly name: string;
  read(): Buffer;
}

export interface LoadedAdvisory {
  readonly source: string;
  readonly record: OsvRecord;
  /** The document as parsed (before `readValidOsvRecord` kept the fields matching reads). */
  readonly document: unknown;
}

export interface OsvLoad {
  readonly advisories: LoadedAdvisory[];
  /** Files that were not OSV records, each with the reason. */
  readonly skipped: { readonly source: string; readonly reason: string }[];
}

const OSV_FILE = /\.(json|ya?ml)$/i;
const isZip = (file: string): boolean => /\.zip$/i.test(file);

/**
 * One file named by `--osv` or found under a directory named by it: an OSV file, or a ZIP of them. What a
 * file's size and modification time say about its content is all an advisory snapshot needs to tell
 * whether it is still what was read (files/osv-snapshot.ts).
 */
export interface OsvUnit {
  readonly path: string;
  readonly kind: 'file' | 'zip';
  readonly size: number;
  readonly mtimeMs: number;
  /** Which `--osv` path it came from (its index), for messages. */
  readonly argument: number;
}

/**
 * Expands paths into the files to read, in a stable order, stating each (no content is read).
 * @throws InputError naming a path that does not exist.
 */
export function osvUnits(paths: readonly string[]): OsvUnit[] {
  const out: OsvUnit[] = [];
  for (const [i, p] of paths.entries()) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      throw new InputError(`no such file or directory: ${p}`, [{ pointer: `/osv/${i}`, detail: 'does not exist' }]);
    }
    if (stat.isDirectory()) {
      for (const file of filesUnder(p, OSV_FILE)) {
        const s = statSync(file);
        out.push({ path: file, kind: 'file', size: s.size, mtimeMs: s.mtimeMs, argument: i });
      }
    } else out.push({ path: p, kind: isZip(p) ? 'zip' : 'file', size: stat.size, mtimeMs: stat.mtimeMs, argument: i });
  }
  return out;
}

/**
 * The files one unit holds: itself, or a ZIP's OSV entries by name.
 * @throws InputError for a ZIP that cannot be read.
 */
export function unitSources(unit: OsvUnit): OsvSource[] {
  if (unit.kind === 'file') return [{ name: unit.path, read: () => readFileSync(unit.path) }];
  let entries;
  try {
    entries = readZip(readFileSync(unit.path));
  } catch (error) {
    throw new InputError(`${unit.path}: ${(error as Error).message}`, [
      { pointer: `/osv/${unit.argument}`, detail: (error as Error).message },
    ]);
  }
  return entries
    .filter((e) => OSV_FILE.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((entry) => ({ name: `${unit.path}!${entry.name}`, read: () => entry.read() }));
}

/**
 * Expands paths into the files to read, in a stable order.
 * @throws InputError naming a path that does not exist or a ZIP that cannot be read.
 */
export function osvSources(paths: readonly string[]): OsvSource[] {
  return osvUnits(paths).flatMap(unitSources);
}

function parseYaml(text: string): unknown {
  const result = readYaml(text);
  if (!result.ok) throw new InputError(`not valid YAML: ${result.problem}`, [{ pointer: '', detail: result.problem }]);
  return result.value;
}

function parseDocument(name: string, bytes: Buffer): unknown {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (/\.ya?ml$/i.test(name)) return parseYaml(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    // A file without a telling extension may be YAML; a .json file must be JSON.
    if (/\.json$/i.test(name)) throw error;
    return parseYaml(text);
  }
}

/** The records in one parsed document: itself, the elements of an array, or an OSV API answer's `vulns`. */
function recordsIn(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (typeof document === 'object' && document !== null && Array.isArray((document as { vulns?: unknown }).vulns))
    return (document as { vulns: unknown[] }).vulns;
  return [document];
}

/** Where loading spends its time, reported as it goes: reading bytes, parsing JSON/YAML, checking records. */
export type OsvLoadTimer = (stage: 'read' | 'parse' | 'check', ms: number) => void;

/**
 * Reads every source into OSV records, each checked against the OSV schema. A file that cannot be read as
 * OSV (not JSON/YAML, truncated, schema-invalid) is skipped whole with its reason, which names the file and
 * the JSON pointer (a tree may hold schemas or notes beside the advisories); it is never matched. The caller
 * decides whether a skipped file is fatal (`match --strict`).
 */
export function loadOsv(sources: readonly OsvSource[], onProgress?: (done: number, total: number) => void, timer?: OsvLoadTimer): OsvLoad {
  const advisories: LoadedAdvisory[] = [];
  const skipped: { source: string; reason: string }[] = [];
  for (const [i, source] of sources.entries()) {
    try {
      // A file counts whole or not at all: every record in it is read before any is kept.
      let at = timer ? performance.now() : 0;
      const lap = (stage: 'read' | 'parse' | 'check'): void => {
        if (!timer) return;
        const now = performance.now();
        timer(stage, now - at);
        at = now;
      };
      const bytes = source.read();
      lap('read');
      const documents = recordsIn(parseDocument(source.name, bytes));
      lap('parse');
      const read = documents.map((document) => ({ source: source.name, record: readValidOsvRecord(document), document }));
      lap('check');
      advisories.push(...read);
    } catch (error) {
      const first = error instanceof InputError ? error.issues[0] : undefined;
      const at = first === undefined ? '' : ` (at ${first.pointer || '/'})`;
      skipped.push({ source: source.name, reason: `${error instanceof Error ? error.message : String(error)}${at}` });
    }
    if (onProgress && (i % 250 === 0 || i === sources.length - 1)) onProgress(i + 1, sources.length);
  }
  return { advisories, skipped };
}

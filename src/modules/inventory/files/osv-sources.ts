import { InputError } from '../../../platform/errors.js';
import { readYaml } from '../../../platform/input/yaml.js';
import type { OsvRecord } from '../domain/osv-record.js';
import { readValidOsvRecord } from '../service/osv-input.js';
import { osvUnits, unitSources, type OsvSource } from './osv-units.js';

/**
 * Where advisories are read from on disk: an OSV file (JSON or YAML; one record, an array of them, or an
 * OSV API `{"vulns": […]}` answer), a directory tree of such files, or a ZIP of them (osv.dev's `all.zip`).
 * Used by `clearinghouse match` (offline) and `inventory advisories import`.
 */

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

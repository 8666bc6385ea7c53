import { readFileSync, stat as statCallback, statSync, type Stats } from 'node:fs';
import { InputError } from '../../../platform/errors.js';
import { filesUnder } from '../../../platform/files.js';
import { readZip } from './zip-reader.js';

/**
 * The OSV files named by `--osv` paths, found and stated without reading them: all that telling whether an
 * advisory snapshot still holds needs (files/osv-snapshot.ts), kept apart from reading records
 * (osv-sources.ts), whose schema checks a run on an unchanged snapshot never loads.
 */

/** One file to read, on disk or inside a ZIP. */
export interface OsvSource {
  /** `path` or `archive.zip!entry`, for messages. */
  readonly name: string;
  read(): Buffer;
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

/** A `--osv` path's stat. @throws InputError when it does not exist. */
function statArgument(p: string, i: number): Stats {
  try {
    return statSync(p);
  } catch {
    throw new InputError(`no such file or directory: ${p}`, [{ pointer: `/osv/${i}`, detail: 'does not exist' }]);
  }
}

/**
 * Expands paths into the files to read, in a stable order, stating each (no content is read).
 * @throws InputError naming a path that does not exist.
 */
export function osvUnits(paths: readonly string[]): OsvUnit[] {
  const out: OsvUnit[] = [];
  for (const [i, p] of paths.entries()) {
    const stat = statArgument(p, i);
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
 * As {@link osvUnits}, the files under directories stated on the thread pool, all at once, so that the caller
 * can work (parse the SBOM) meanwhile. Rejects as `osvUnits` throws.
 */
export async function osvUnitsAsync(paths: readonly string[]): Promise<OsvUnit[]> {
  const out: OsvUnit[] = [];
  const files: { at: number; file: string; argument: number }[] = [];
  for (const [i, p] of paths.entries()) {
    const stat = statArgument(p, i);
    if (stat.isDirectory()) {
      for (const file of filesUnder(p, OSV_FILE)) {
        files.push({ at: out.length, file, argument: i });
        out.push(null as unknown as OsvUnit); // filled in by its stat's callback below
      }
    } else out.push({ path: p, kind: isZip(p) ? 'zip' : 'file', size: stat.size, mtimeMs: stat.mtimeMs, argument: i });
  }
  // One callback per file and one promise for all (not a promise per file: 8,158 of them cost a third of the stats' CPU).
  return new Promise((resolve, reject) => {
    let left = files.length;
    if (left === 0) resolve(out);
    for (const { at, file, argument } of files)
      statCallback(file, (error, s) => {
        if (error) return reject(error);
        out[at] = { path: file, kind: 'file', size: s.size, mtimeMs: s.mtimeMs, argument };
        if (--left === 0) resolve(out);
      });
  });
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

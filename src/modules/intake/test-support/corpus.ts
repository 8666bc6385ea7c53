import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedData } from '#test-support/shared-data.js';

/**
 * Files under a folder of the shared corpora whose names match, sorted, as absolute paths; none when the
 * corpora are absent, because a skipped `describe` still runs its body to collect the tests it skips.
 */
export function corpusFiles(relativeFolder: string, name: RegExp): string[] {
  const root = sharedData(relativeFolder);
  const out: string[] = [];
  if (!existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (name.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** A corpus file parsed as JSON the plain way (BOM dropped), for deriving expectations independently. */
export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as unknown;
}

/** The path relative to the shared corpora, for test names and messages. */
export function shortName(file: string): string {
  return path.relative(sharedData(), file);
}

/** Narrowing helper for tests reading untyped JSON. */
export function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

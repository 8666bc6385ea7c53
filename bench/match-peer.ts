import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OsvRecord } from '../src/modules/inventory/domain/osv-record.js';

/**
 * The peer baseline of `npm run bench -- match-cli`: the npm ecosystem's offline OSV matcher, Renovate's
 * `@renovatebot/osv-offline`, whose database layer (`@renovatebot/osv-offline-db` 3.x) keeps one JSON-lines
 * file per ecosystem (`pypi.nedb`, one advisory a line), indexes it at first use by streaming the lines
 * through `JSON.parse` and noting each package name's line offsets, then answers each query by reading and
 * parsing those lines and keeping the advisories naming the package (by name and ecosystem; its purl filter is left out). It is not a dependency here (its
 * front end downloads the database at run time); this re-implements that loading and lookup — the same
 * steps, in a plain Node process — over files written from the same corpora. It evaluates no version (the
 * caller does), so it is a lower bound for a matcher's work.
 */

const FILES: Record<string, string> = { PyPI: 'pypi.nedb', Go: 'go.nedb', 'crates.io': 'crates.io.nedb' };

/** Writes the peer's database files (its format, made once, not timed) into `dir`. */
export function writePeerDatabase(dir: string, records: readonly OsvRecord[]): void {
  const lines = new Map<string, string[]>();
  for (const record of records) {
    const ecosystem = record.affected?.find((a) => a.package !== undefined)?.package?.ecosystem ?? '';
    const file = FILES[ecosystem];
    if (file === undefined) continue;
    lines.set(file, [...(lines.get(file) ?? []), JSON.stringify(record)]);
  }
  for (const [file, l] of lines) writeFileSync(path.join(dir, file), `${l.join('\n')}\n`);
}

/** The peer as a plain ES module: `node peer.mjs DB_DIR SBOM.json` prints how many advisories it returned. */
export const PEER_SCRIPT = String.raw`
import { createReadStream, openSync, readSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
const [dir, sbomFile] = process.argv.slice(2);
const FILES = { PyPI: 'pypi.nedb', Go: 'go.nedb', 'crates.io': 'crates.io.nedb' };
const TYPES = { pypi: 'PyPI', golang: 'Go', cargo: 'crates.io' };
const dbs = new Map();
async function load(ecosystem) {
  if (dbs.has(ecosystem)) return dbs.get(ecosystem);
  const file = path.join(dir, FILES[ecosystem]);
  if (!existsSync(file)) return dbs.set(ecosystem, null).get(ecosystem);
  const index = new Map();
  let offset = 0;
  const names = new Set();
  for await (const line of readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const length = Buffer.byteLength(line, 'utf8');
    try {
      const record = JSON.parse(line);
      for (const a of record.affected ?? []) {
        const name = a.package?.name;
        if (name && !names.has(name)) {
          names.add(name);
          if (!index.has(name)) index.set(name, []);
          index.get(name).push({ offset, length });
        }
      }
      names.clear();
    } catch {}
    offset += length + 1;
  }
  const db = { fd: openSync(file, 'r'), index };
  dbs.set(ecosystem, db);
  return db;
}
async function query(ecosystem, name) {
  const db = await load(ecosystem);
  const pointers = db?.index.get(name) ?? [];
  return pointers
    .map(({ offset, length }) => {
      const buffer = Buffer.allocUnsafe(length);
      const read = readSync(db.fd, buffer, 0, length, offset);
      return JSON.parse(buffer.toString('utf8', 0, read));
    })
    .filter((v) => v.affected?.some((a) => a.package?.name === name && (a.package.ecosystem === ecosystem || a.package.ecosystem.startsWith(ecosystem + ':'))));
}
const sbom = JSON.parse(readFileSync(sbomFile, 'utf8'));
let found = 0;
for (const c of sbom.components ?? []) {
  const m = /^pkg:([^/]+)\/(.+?)@/.exec(c.purl ?? '');
  const ecosystem = m && TYPES[m[1]];
  if (!ecosystem) continue;
  found += (await query(ecosystem, decodeURIComponent(m[2]))).length;
}
console.log(JSON.stringify({ found }));
`;

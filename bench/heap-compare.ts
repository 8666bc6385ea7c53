// `npx tsx bench/heap-compare.ts BEFORE.heapsnapshot AFTER.heapsnapshot [rows]`: two V8 heap snapshots (soak --probe
// with SOAK_PROBE_HEAP_AT=60,300 writes them) compared by constructor: the bytes and objects each kind of object
// (or of string, array, closure, native…) gained between them, the largest gains first. Objects a snapshot
// holds are the ones alive at its moment (V8 collects garbage before it writes one), so a kind that keeps
// gaining between snapshots taken further and further apart is a leak; one that gained once has settled.
import { readFileSync } from 'node:fs';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

interface Tally {
  count: number;
  bytes: number;
}

/** Live bytes and objects per constructor (objects, closures, native objects) or per kind of V8 value. */
export function byConstructor(snapshot: Snapshot): { readonly kinds: Map<string, Tally>; readonly bytes: number } {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = new Map<string, Tally>();
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? '?';
    const name = snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '?';
    const key = type === 'object' || type === 'closure' ? name : type === 'native' ? `native ${name}` : `(${type})`;
    const size = snapshot.nodes[i + sizeAt] as number;
    bytes += size;
    const tally = kinds.get(key);
    if (tally === undefined) kinds.set(key, { count: 1, bytes: size });
    else {
      tally.count++;
      tally.bytes += size;
    }
  }
  return { kinds, bytes };
}

const [beforeFile, afterFile, rowsArg] = process.argv.slice(2);
if (beforeFile === undefined || afterFile === undefined) {
  console.error('usage: npx tsx bench/heap-compare.ts BEFORE.heapsnapshot AFTER.heapsnapshot [rows]');
  process.exit(2);
}
const read = (file: string) => byConstructor(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
const before = read(beforeFile);
const after = read(afterFile);
const MiB = 2 ** 20;
console.log(`live heap ${(before.bytes / MiB).toFixed(1)} MiB -> ${(after.bytes / MiB).toFixed(1)} MiB`);
const none: Tally = { count: 0, bytes: 0 };
const rows = [...new Set([...before.kinds.keys(), ...after.kinds.keys()])]
  .map((key) => {
    const b = before.kinds.get(key) ?? none;
    const a = after.kinds.get(key) ?? none;
    return { key, bytes: a.bytes - b.bytes, count: a.count - b.count, now: a };
  })
  .sort((x, y) => y.bytes - x.bytes);
for (const r of rows.slice(0, Number(rowsArg ?? 30)))
  console.log(
    `${(r.bytes / 1024).toFixed(0).padStart(9)} KiB ${String(r.count).padStart(9)} objects; now ${String(r.now.count).padStart(9)} = ${(r.now.bytes / MiB).toFixed(1).padStart(7)} MiB  ${r.key.slice(0, 100)}`,
  );

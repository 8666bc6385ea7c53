import { deflateRawSync, gzipSync } from 'node:zlib';
import { buildZip, type ZipFile } from '../../src/modules/frontier/test-support/eval-archive.js';
import { int, mutateBytes, pick, type Rand } from './mutators.js';

/**
 * Compressed containers around the mutated documents: gzip (EPSS feeds, uploads) and ZIP (Inspect `.eval`
 * logs, osv.dev `all.zip`), each also spoiled on its own: truncated, bit-flipped, lying about sizes, and
 * bombs that inflate far past every limit the readers set (64 MiB per document or entry).
 */

const MiB = 1024 * 1024;
/** Just past the 64 MiB limits; compressed, a few dozen kilobytes. */
const BOMB_BYTES = 65 * MiB;

let gzipBombCache: Uint8Array | undefined;
let deflateBombCache: Uint8Array | undefined;

/** A gzip stream of zeros that inflates past every limit. */
export function gzipBomb(): Uint8Array {
  gzipBombCache ??= gzipSync(Buffer.alloc(BOMB_BYTES), { level: 9 });
  return gzipBombCache;
}

function deflateBomb(): Uint8Array {
  deflateBombCache ??= deflateRawSync(Buffer.alloc(BOMB_BYTES), { level: 9 });
  return deflateBombCache;
}

/** The payload gzipped, then possibly damaged; or a bomb. */
export function mutateGzip(payload: Uint8Array, rand: Rand): Uint8Array {
  const action = int(rand, 5);
  if (action === 0) return gzipBomb();
  const gz = gzipSync(payload);
  if (action === 1) return gz;
  if (action === 2) return gz.subarray(0, Math.max(2, int(rand, gz.length)));
  if (action === 3) return Buffer.concat([gz, gzipSync(payload)]);
  const out = Uint8Array.from(gz);
  for (let i = 0; i < 1 + int(rand, 6); i++) out[2 + int(rand, out.length - 2)] = int(rand, 256);
  return out;
}

/** A ZIP archive whose entry at `index` (central directory order) has its header fields rewritten. */
function patchCentral(zip: Buffer, index: number, patch: (entry: Buffer) => void): Buffer {
  const out = Buffer.from(zip);
  let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  for (let i = 0; i < index && at >= 0; i++) {
    const next = at + 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
    at = out.readUInt32LE(next) === 0x02014b50 ? next : -1;
  }
  if (at >= 0) patch(out.subarray(at, at + 46));
  return out;
}

function endOfDirectory(zip: Buffer): number {
  return zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
}

/**
 * A ZIP archive of the files (some mutated by the caller), then one structural attack: a deflate bomb
 * entry, sizes that lie, an entry count that lies, overlapping entries, an encrypted flag, an unknown
 * method, a traversal name, or plain byte damage.
 */
export function mutateZip(files: readonly ZipFile[], rand: Rand): Uint8Array {
  const method = pick(rand, ['stored', 'deflate'] as const);
  const plain = files.map((f) => ({ ...f, method }));
  const zip = buildZip(plain);
  const victim = int(rand, Math.max(1, files.length));
  switch (int(rand, 10)) {
    case 0:
      return zip;
    case 1: {
      // A bomb under a name the reader looks for, declaring its true size.
      const name = files[victim]?.name ?? 'header.json';
      return withRawEntry(plain, name, deflateBomb(), BOMB_BYTES, 8);
    }
    case 2: {
      // The same bomb declaring a tiny size: inflating must stop at the declared size.
      const name = files[victim]?.name ?? 'header.json';
      return withRawEntry(plain, name, deflateBomb(), 100, 8);
    }
    case 3:
      return patchCentral(zip, victim, (e) => e.writeUInt32LE(0xffffffff, 24));
    case 4: {
      const out = Buffer.from(zip);
      const end = endOfDirectory(out);
      if (end >= 0) {
        out.writeUInt16LE(0xffff, end + 8);
        out.writeUInt16LE(0xffff, end + 10);
      }
      return out;
    }
    case 5:
      return patchCentral(zip, victim, (e) => e.writeUInt32LE(0, 42));
    case 6:
      return patchCentral(zip, victim, (e) => e.writeUInt16LE(pick(rand, [1, 0x41, 0x2001]), 8));
    case 7:
      return patchCentral(zip, victim, (e) => e.writeUInt16LE(pick(rand, [1, 12, 14, 93, 99, 0xffff]), 10));
    case 8:
      return buildZip(
        plain.map((f, i) => (i === victim ? { ...f, name: pick(rand, ['../../etc/passwd', '/abs.json', 'a\u0000b', '']) } : f)),
      );
    default:
      return mutateBytes(zip, rand);
  }
}

/** An archive where one entry's compressed bytes and declared size are given as they are. */
function withRawEntry(files: readonly ZipFile[], name: string, compressed: Uint8Array, declaredSize: number, method: number): Buffer {
  const others = files.filter((f) => f.name !== name);
  const placeholder = buildZip([...others, { name, content: 'x', method: 'stored' }]);
  const marker = Buffer.from(name, 'utf8');
  const localAt = placeholder.indexOf(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04])]), findLocal(placeholder, marker));
  const before = placeholder.subarray(0, localAt);
  const local = Buffer.from(placeholder.subarray(localAt, localAt + 30 + marker.length));
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  const rest = placeholder.subarray(localAt + 30 + marker.length + 1);
  const out = Buffer.concat([before, local, compressed, rest]);
  const shift = compressed.length - 1;
  const centralStart = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), localAt + 30 + marker.length + compressed.length);
  for (let at = centralStart; at >= 0 && out.readUInt32LE(at) === 0x02014b50;) {
    const nameLength = out.readUInt16LE(at + 28);
    const entryName = out.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      out.writeUInt16LE(method, at + 10);
      out.writeUInt32LE(compressed.length, at + 20);
      out.writeUInt32LE(declaredSize, at + 24);
    }
    at += 46 + nameLength + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  const end = endOfDirectory(out);
  out.writeUInt32LE(out.readUInt32LE(end + 16) + shift, end + 16);
  return out;
}

function findLocal(zip: Buffer, name: Buffer): number {
  for (let at = 0; at >= 0 && at < zip.length;) {
    at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at);
    if (at < 0) break;
    if (zip.subarray(at + 30, at + 30 + name.length).equals(name)) return at;
    at += 4;
  }
  return 0;
}

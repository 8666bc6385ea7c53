import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { InputError, PayloadTooLargeError } from './errors.js';

/**
 * The one reader of ZIP archives held in memory (Inspect `.eval` logs, osv.dev's `all.zip` with its more
 * than 65,535 entries): the central directory (with ZIP64 sizes and offsets), and entries stored (method
 * 0), deflated (8) or zstd-compressed (93), CRC-32 checked. Encrypted entries and multi-disk archives are
 * refused by name.
 * Every size is checked against limits before anything is inflated, and inflating stops at the declared
 * size, so a hostile archive cannot make us allocate more than the limits allow.
 */

export interface ZipLimits {
  /** Largest uncompressed entry. */
  readonly maxEntryBytes: number;
  /** Most bytes inflated across all reads of one archive. */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
}

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
  /** General-purpose bit flags; bit 0 marks an encrypted entry. */
  readonly flags: number;
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  has(name: string): boolean;
  /** The entry's bytes, checked against its CRC-32; undefined when absent. */
  read(name: string): Uint8Array | undefined;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

function bad(detail: string): InputError {
  return new InputError(`not a readable ZIP archive: ${detail}`, [{ pointer: '/file', detail }]);
}

/** CRC-32 (ISO-HDLC), as ZIP stores it: zlib's, in native code (Node ≥ 20.15 and 22.2). */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes);
}

/** True when the bytes start like a ZIP archive (a local file header or an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  );
}

function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= Math.max(0, last - MAX_COMMENT); at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  throw bad('no end-of-central-directory record');
}

function uint64(view: DataView, at: number): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('a ZIP64 size is beyond what this server reads');
  return Number(value);
}

function centralDirectory(view: DataView): { offset: number; count: number } {
  const eocd = findEndOfCentralDirectory(view);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) throw bad('multi-disk archives are not read');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const zip64 = uint64(view, eocd - 20 + 8);
    if (zip64 + 56 > view.byteLength || view.getUint32(zip64, true) !== ZIP64_EOCD) throw bad('a broken ZIP64 end record');
    count = uint64(view, zip64 + 32);
    offset = uint64(view, zip64 + 48);
  }
  return { offset, count };
}

/** Reads ZIP64 values from an entry's extra field, for the fields that overflowed 32 bits. */
function applyZip64(
  view: DataView,
  extraStart: number,
  extraLength: number,
  entry: { compressedSize: number; uncompressedSize: number; localHeaderOffset: number },
): void {
  let at = extraStart;
  while (at + 4 <= extraStart + extraLength) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let p = at + 4;
      if (entry.uncompressedSize === 0xffffffff) {
        entry.uncompressedSize = uint64(view, p);
        p += 8;
      }
      if (entry.compressedSize === 0xffffffff) {
        entry.compressedSize = uint64(view, p);
        p += 8;
      }
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = uint64(view, p);
      return;
    }
    at += 4 + size;
  }
}

function readEntries(bytes: Uint8Array, view: DataView, limits: ZipLimits): ZipEntry[] {
  const { offset, count } = centralDirectory(view);
  if (count > limits.maxEntries) throw bad(`${count} entries; at most ${limits.maxEntries} are read`);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL) throw bad(`central directory entry ${i} is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength + extraLength > view.byteLength) throw bad(`central directory entry ${i} runs past the end`);
    const entry = {
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      flags: view.getUint16(at + 8, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function inflate(entry: ZipEntry, data: Uint8Array): Uint8Array {
  switch (entry.method) {
    case 0:
      return data;
    case 8:
      // maxOutputLength makes zlib stop (and throw) instead of inflating past the declared size.
      return entry.uncompressedSize === 0 ? new Uint8Array(0) : inflateRawSync(data, { maxOutputLength: entry.uncompressedSize });
    case 93: {
      // Streamed, so that output beyond the declared size stops the decompression instead of filling memory.
      const chunks: Uint8Array[] = [];
      let total = 0;
      const stream = new ZstdDecompress((chunk) => {
        total += chunk.length;
        if (total > entry.uncompressedSize) throw bad(`entry ${entry.name} is larger than its header declares`);
        chunks.push(chunk);
      });
      stream.push(data, true);
      return Buffer.concat(chunks);
    }
    default:
      throw bad(`entry ${entry.name} uses compression method ${entry.method}; only stored, deflate (8) and zstd (93) are read`);
  }
}

/** Opens an archive. Throws InputError when it is not a ZIP archive or breaks the limits. */
export function openZip(bytes: Uint8Array, limits: ZipLimits): ZipArchive {
  if (bytes.length < 22) throw bad('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = readEntries(bytes, view, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  let inflated = 0;
  return {
    entries,
    has: (name) => byName.has(name),
    read(name) {
      const entry = byName.get(name);
      if (entry === undefined) return undefined;
      if ((entry.flags & 1) !== 0) throw bad(`entry ${name} is encrypted`);
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw new PayloadTooLargeError(
          `archive entry ${name} is ${entry.uncompressedSize} bytes uncompressed; at most ${limits.maxEntryBytes} are read`,
          limits.maxEntryBytes,
        );
      }
      inflated += entry.uncompressedSize;
      if (inflated > limits.maxTotalBytes) {
        throw new PayloadTooLargeError(`the archive inflates to more than ${limits.maxTotalBytes} bytes`, limits.maxTotalBytes);
      }
      const at = entry.localHeaderOffset;
      if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL) throw bad(`entry ${name} has no local header`);
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      if (start + entry.compressedSize > bytes.length) throw bad(`entry ${name} runs past the end of the archive`);
      let out: Uint8Array;
      try {
        out = inflate(entry, bytes.subarray(start, start + entry.compressedSize));
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw bad(`entry ${name} does not decompress: ${(error as Error).message}`);
      }
      if (out.length !== entry.uncompressedSize) throw bad(`entry ${name} is not the size its header declares`);
      if (crc32(out) !== entry.crc32) throw bad(`entry ${name} fails its CRC-32 check`);
      return out;
    },
  };
}

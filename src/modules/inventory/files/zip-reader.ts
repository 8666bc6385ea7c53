import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP reader for advisory archives (osv.dev's `all.zip` per ecosystem, which has more than 65,535
 * entries for some, hence ZIP64): the central directory, stored and deflated entries, CRC-32 checked.
 * Encrypted entries, other compression methods and multi-disk archives are refused with a clear message.
 */

export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  /** The entry's bytes, inflated and checked; throws on corruption. */
  read(): Buffer;
}

/** Largest entry inflated: an OSV record is kilobytes; this refuses zip bombs. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

class ZipError extends Error {
  constructor(message: string) {
    super(`not a readable ZIP archive: ${message}`);
  }
}

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('a ZIP64 size beyond 2^53');
  return Number(value);
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535; search backwards for its signature.
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--) {
    if (buffer.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError('no end-of-central-directory record');
}

function directory(buffer: Buffer): { count: number; offset: number } {
  const eocd = findEndOfCentralDirectory(buffer);
  if (buffer.readUInt16LE(eocd + 4) !== 0 || buffer.readUInt16LE(eocd + 6) !== 0) throw new ZipError('multi-disk archives are not read');
  let count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== EOCD64_LOCATOR) throw new ZipError('ZIP64 values without a ZIP64 locator');
    const at = u64(buffer, locator + 8);
    if (at + 56 > buffer.length || buffer.readUInt32LE(at) !== EOCD64) throw new ZipError('no ZIP64 end-of-central-directory record');
    count = u64(buffer, at + 32);
    offset = u64(buffer, at + 48);
  }
  return { count, offset };
}

/** Reads the ZIP64 extended-information extra field (0x0001) for the values the header left at their maximum. */
function zip64Values(
  extra: Buffer,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const take = (): number => {
        const v = u64(extra, p);
        p += 8;
        return v;
      };
      return {
        ...(wanted.size ? { size: take() } : {}),
        ...(wanted.compressed ? { compressed: take() } : {}),
        ...(wanted.offset ? { offset: take() } : {}),
      };
    }
    at += 4 + length;
  }
  throw new ZipError('ZIP64 sizes without a ZIP64 extra field');
}

function inflate(name: string, raw: Buffer, size: number): Buffer {
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
  } catch (error) {
    throw new ZipError(`${name} does not inflate to its stated ${size} bytes (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Lists the archive's file entries (directories left out); each is inflated only when read. */
export function readZip(buffer: Buffer): ZipEntry[] {
  if (buffer.length < 22) throw new ZipError('too short');
  const { count, offset } = directory(buffer);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory entry ${i} is damaged`);
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    const crc = buffer.readUInt32LE(at + 16);
    let compressed = buffer.readUInt32LE(at + 20);
    let size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    let local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    if (size === 0xffffffff || compressed === 0xffffffff || local === 0xffffffff) {
      const extra = buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      const big = zip64Values(extra, { size: size === 0xffffffff, compressed: compressed === 0xffffffff, offset: local === 0xffffffff });
      size = big.size ?? size;
      compressed = big.compressed ?? compressed;
      local = big.offset ?? local;
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const entrySize = size;
    const entryCompressed = compressed;
    const entryLocal = local;
    entries.push({
      name,
      size: entrySize,
      read: () => {
        if ((flags & 1) !== 0) throw new ZipError(`${name} is encrypted`);
        if (entrySize > MAX_ZIP_ENTRY_BYTES)
          throw new ZipError(`${name} inflates to ${entrySize} bytes, over the ${MAX_ZIP_ENTRY_BYTES}-byte limit`);
        if (entryLocal + 30 > buffer.length || buffer.readUInt32LE(entryLocal) !== LOCAL)
          throw new ZipError(`${name}: local header is damaged`);
        const start = entryLocal + 30 + buffer.readUInt16LE(entryLocal + 26) + buffer.readUInt16LE(entryLocal + 28);
        const raw = buffer.subarray(start, start + entryCompressed);
        if (raw.length !== entryCompressed) throw new ZipError(`${name} is truncated`);
        let bytes: Buffer;
        if (method === 0) bytes = Buffer.from(raw);
        else if (method === 8) bytes = inflate(name, raw, entrySize);
        else throw new ZipError(`${name} uses compression method ${method}; only stored (0) and deflate (8) are read`);
        if (bytes.length !== entrySize || crc32(bytes) !== crc) throw new ZipError(`${name} fails its size or CRC-32 check`);
        return bytes;
      },
    });
  }
  return entries;
}

import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { InputError } from './errors.js';

/**
 * The one writer and reader of tar archives (POSIX ustar, regular files only), streamed: what `backup` writes
 * and `restore` reads, of any size (a size past ustar's 8 GiB is written in the GNU base-256 form). Names
 * are at most 100 bytes; the reader refuses anything but regular files and checks every header's checksum.
 */

const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function checksumOf(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  return sum;
}

function headerFor(name: string, size: number, mode: number, mtime: Date): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > 100) throw new RangeError(`tar entry name must be 1 to 100 bytes: ${name}`);
  const header = Buffer.alloc(BLOCK);
  bytes.copy(header, 0);
  writeOctal(header, 100, 8, mode & 0o7777);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  if (size <= MAX_OCTAL_SIZE) writeOctal(header, 124, 12, size);
  else {
    header[124] = 0x80;
    header.writeBigUInt64BE(BigInt(size), 128);
  }
  writeOctal(header, 136, 12, Math.floor(mtime.getTime() / 1000));
  header[156] = 0x30; // '0': regular file
  header.write('ustar\u000000', 257, 8, 'ascii');
  header.write(`${checksumOf(header).toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/** Writes tar entries to `out` one after the other; `finish()` writes the end-of-archive blocks. */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  async #write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  /**
   * One regular file of exactly `size` bytes from `source`; `onChunk` sees each chunk as it is written.
   * @throws Error when the source gives more or fewer bytes than `size` (a file changed while read).
   */
  async add(
    name: string,
    size: number,
    source: Readable | Buffer,
    options: { mode?: number; mtime?: Date; onChunk?: (chunk: Buffer) => void } = {},
  ): Promise<void> {
    await this.#write(headerFor(name, size, options.mode ?? 0o644, options.mtime ?? new Date()));
    let written = 0;
    for await (const chunk of Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>)) {
      written += chunk.length;
      if (written > size) throw new Error(`${name} grew while it was archived (${size} bytes expected)`);
      options.onChunk?.(chunk);
      await this.#write(chunk);
    }
    if (written !== size) throw new Error(`${name} shrank while it was archived (${written} of ${size} bytes)`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0) await this.#write(Buffer.alloc(pad));
  }

  async finish(): Promise<void> {
    await this.#write(Buffer.alloc(BLOCK * 2));
  }
}

export interface TarEntry {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
}

/** Reads exactly the bytes asked for from an async stream of chunks. */
class ByteReader {
  #pending: Buffer[] = [];
  #buffered = 0;
  #done = false;
  readonly #iterator: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#pending.push(next.value);
    this.#buffered += next.value.length;
    return true;
  }

  /** Up to `max` bytes (fewer only at the end of the stream; empty there). */
  async chunk(max: number): Promise<Buffer> {
    while (this.#buffered === 0) if (!(await this.#fill())) return Buffer.alloc(0);
    const first = this.#pending[0] as Buffer;
    if (first.length <= max) {
      this.#pending.shift();
      this.#buffered -= first.length;
      return first;
    }
    this.#pending[0] = first.subarray(max);
    this.#buffered -= max;
    return first.subarray(0, max);
  }

  /** Exactly `n` bytes, or null when the stream ends before. */
  async exactly(n: number): Promise<Buffer | null> {
    while (this.#buffered < n) if (!(await this.#fill())) return null;
    const whole = Buffer.concat(this.#pending);
    this.#pending = whole.length > n ? [whole.subarray(n)] : [];
    this.#buffered = whole.length - n;
    return whole.subarray(0, n);
  }
}

function readNumber(header: Buffer, offset: number, length: number, what: string, index: number): number {
  if (((header[offset] as number) & 0x80) !== 0) {
    const value = header.readBigUInt64BE(offset + length - 8);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`tar entry ${index}: ${what} too large`);
    return Number(value);
  }
  const text = header
    .subarray(offset, offset + length)
    .toString('ascii')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) throw new InputError(`tar entry ${index}: the ${what} field is not a number`);
  return text === '' ? 0 : parseInt(text, 8);
}

/**
 * Reads the archive from `source`, calling `onEntry` for each regular file with its bytes as chunks (to be
 * consumed before it returns). Throws {@link InputError} for a damaged header, a truncated archive or an
 * entry that is not a regular file.
 */
export async function readTar(
  source: AsyncIterable<Buffer>,
  onEntry: (entry: TarEntry, chunks: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const reader = new ByteReader(source);
  for (let index = 0; ; index++) {
    const header = await reader.exactly(BLOCK);
    if (header === null) throw new InputError('the archive ends without its end-of-archive blocks (truncated)');
    if (header.every((b) => b === 0)) return;
    const stored = readNumber(header, 148, 8, 'checksum', index);
    if (stored !== checksumOf(header)) throw new InputError(`tar entry ${index}: header checksum mismatch (damaged archive)`);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const fullName = prefix === '' ? name : `${prefix}/${name}`;
    const type = String.fromCharCode(header[156] as number);
    if (type !== '0' && type !== '\0') throw new InputError(`tar entry ${fullName}: not a regular file (type ${JSON.stringify(type)})`);
    const size = readNumber(header, 124, 12, 'size', index);
    const mode = readNumber(header, 100, 8, 'mode', index);
    let remaining = size;
    async function* chunks(): AsyncGenerator<Buffer> {
      while (remaining > 0) {
        const chunk = await reader.chunk(Math.min(remaining, 1 << 20));
        if (chunk.length === 0) throw new InputError(`tar entry ${fullName}: the archive ends inside it (truncated)`);
        remaining -= chunk.length;
        yield chunk;
      }
    }
    await onEntry({ name: fullName, size, mode }, chunks());
    // Whatever the consumer left unread, then the padding.
    for await (const chunk of chunks()) void chunk;
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0 && (await reader.exactly(pad)) === null)
      throw new InputError(`tar entry ${fullName}: the archive ends inside it (truncated)`);
  }
}

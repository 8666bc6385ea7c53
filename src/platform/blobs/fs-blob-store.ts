import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { sha256Hex } from '../hash.js';
import { SHA256_HEX, type BlobEntry, type BlobRef, type BlobStore } from './blob-store.js';

const FANOUT = /^[0-9a-f]{2}$/;
const TEMPORARY = /^\.[0-9a-f]{64}\.[0-9a-f]+\.tmp$/;

/**
 * Blobs as files `<root>/ab/cd/<sha256>`. A write goes to a temporary file that is fsync'd and then
 * renamed into place, so a crash never leaves a partial blob under its final name (only a `.tmp` file,
 * which the sweeper removes). A file's modification time is when its bytes were last stored, by `clock`.
 */
export class FsBlobStore implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly clock: Clock = systemClock,
  ) {}

  #pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Hex(bytes);
    const target = this.#pathOf(sha256);
    const now = this.clock.now();
    if (await this.#touch(target, now)) return { sha256, size: bytes.byteLength };
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.utimes(now, now);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDir(dir);
    return { sha256, size: bytes.byteLength };
  }

  /** Marks an existing blob as stored now (the sweeper's grace starts again); false when it is absent. */
  async #touch(file: string, now: Date): Promise<boolean> {
    try {
      await utimes(file, now, now);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      const bytes = await readFile(this.#pathOf(sha256));
      if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} is corrupt on disk`);
      return bytes;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.#unlink(this.#pathOf(sha256));
  }

  async #unlink(file: string): Promise<boolean> {
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await syncDir(path.dirname(file));
    return true;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.#pathOf(sha256));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async *entries(): AsyncIterable<BlobEntry> {
    for (const first of (await listDir(this.root)).filter((n) => FANOUT.test(n))) {
      for (const second of (await listDir(path.join(this.root, first))).filter((n) => FANOUT.test(n))) {
        const dir = path.join(this.root, first, second);
        for (const name of await listDir(dir)) {
          const kind = SHA256_HEX.test(name) ? 'blob' : TEMPORARY.test(name) ? 'temporary' : null;
          if (kind === null) continue;
          const info = await stat(path.join(dir, name)).catch(() => null);
          if (info === null) continue;
          yield { kind, name: kind === 'blob' ? name : path.join(first, second, name), size: info.size, storedAt: info.mtime };
        }
      }
    }
  }

  async remove(entry: BlobEntry, storedBefore: Date): Promise<boolean> {
    const file = entry.kind === 'blob' ? this.#pathOf(entry.name) : this.#temporaryPath(entry.name);
    const info = await stat(file).catch(() => null);
    if (info === null || info.mtime.getTime() >= storedBefore.getTime()) return false;
    return this.#unlink(file);
  }

  #temporaryPath(name: string): string {
    const parts = name.split(path.sep);
    if (parts.length !== 3 || !TEMPORARY.test(parts[2] ?? '') || parts.slice(0, 2).some((p) => !FANOUT.test(p))) {
      throw new RangeError(`not a temporary file of the blob store: ${name}`);
    }
    return path.join(this.root, name);
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

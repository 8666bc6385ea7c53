import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../hash.js';
import { SHA256_HEX, type BlobRef, type BlobStore } from './blob-store.js';

/**
 * Blobs as files `<root>/ab/cd/<sha256>`. A write goes to a temporary file that is fsync'd and then
 * renamed into place, so a crash never leaves a partial blob under its final name.
 */
export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  #pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Hex(bytes);
    const target = this.#pathOf(sha256);
    if (await this.has(sha256)) return { sha256, size: bytes.byteLength };
    const dir = path.dirname(target);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
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
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return { sha256, size: bytes.byteLength };
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
    const file = this.#pathOf(sha256);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const dirHandle = await open(path.dirname(file), 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
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
}

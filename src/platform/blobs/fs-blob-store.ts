import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import { sha256Hex } from '../hash.js';
import { SHA256_HEX, type BlobEntry, type BlobRef, type BlobStore } from './blob-store.js';

const FANOUT = /^[0-9a-f]{2}$/;
const TEMPORARY = /^\.[0-9a-f]{64}\.[0-9a-f]+\.tmp$/;
const TOMBSTONE = /^\.([0-9a-f]{64})\.tomb$/;

/**
 * Blobs as files `<root>/ab/cd/<sha256>`. A write goes to a temporary file that is fsync'd and then
 * renamed into place, so a crash never leaves a partial blob under its final name (only a `.tmp` file,
 * which the sweeper removes). A file's modification time is when its bytes were last stored, by `clock`.
 *
 * Removing a blob races storing the same bytes again (one file serves every upload of them), so a removal
 * first renames the blob to its tombstone `.<sha256>.tomb` (atomic: a `put` after it finds no blob and
 * writes a new one), then reads the tombstone's time: a `put` that refreshed the blob before the rename
 * shows there, and the blob is put back. Reads fall back to the tombstone while it exists, and a tombstone
 * a crash left behind is put back by the next listing.
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

  /**
   * Marks an existing blob as stored now (the sweeper's grace starts again); false when it is absent, or
   * when it is another user's file (a blob written by another account sharing the store, or before a
   * change of the service's user): only a file's owner may set its times to a given instant (EPERM).
   * Ignoring that would leave the old time, and a sweep could remove bytes an upload is about to commit
   * a record for; so the caller writes the blob anew, as this user, over the other one.
   */
  async #touch(file: string, now: Date): Promise<boolean> {
    try {
      await utimes(file, now, now);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EPERM') return false;
      throw error;
    }
  }

  async get(sha256: string): Promise<Buffer | null> {
    const file = this.#pathOf(sha256);
    const bytes = (await readIfPresent(file)) ?? (await readIfPresent(tombstoneOf(file)));
    if (bytes === null) return null;
    if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} is corrupt on disk`);
    return bytes;
  }

  async delete(sha256: string): Promise<void> {
    const file = this.#pathOf(sha256);
    if (await renameIfPresent(file, tombstoneOf(file))) await this.#unlink(tombstoneOf(file));
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
    const file = this.#pathOf(sha256);
    return (await statIfPresent(file)) !== null || (await statIfPresent(tombstoneOf(file))) !== null;
  }

  async *entries(): AsyncIterable<BlobEntry> {
    for (const first of (await listDir(this.root)).filter((n) => FANOUT.test(n))) {
      for (const second of (await listDir(path.join(this.root, first))).filter((n) => FANOUT.test(n))) {
        const dir = path.join(this.root, first, second);
        const names = await listDir(dir);
        for (const name of names) {
          // A removal that died between its rename and its decision: the blob goes back, to be judged again.
          const sha256 = TOMBSTONE.exec(name)?.[1];
          if (sha256 === undefined) continue;
          await this.#restore(path.join(dir, sha256));
          if (!names.includes(sha256)) names.push(sha256);
        }
        for (const name of names) {
          const kind = SHA256_HEX.test(name) ? 'blob' : TEMPORARY.test(name) ? 'temporary' : null;
          if (kind === null) continue;
          const info = await stat(path.join(dir, name)).catch(() => null);
          if (info === null) continue;
          yield { kind, name: kind === 'blob' ? name : path.join(first, second, name), size: info.size, storedAt: info.mtime };
        }
      }
    }
  }

  async remove(entry: Pick<BlobEntry, 'kind' | 'name'>, storedBefore: Date): Promise<boolean> {
    if (entry.kind === 'temporary') {
      // A temporary file is never stored again (its name is random), so its age cannot change under us.
      const file = this.#temporaryPath(entry.name);
      const info = await statIfPresent(file);
      if (info === null || info.mtime.getTime() >= storedBefore.getTime()) return false;
      return this.#unlink(file);
    }
    const file = this.#pathOf(entry.name);
    const info = await statIfPresent(file);
    if (info === null || info.mtime.getTime() >= storedBefore.getTime()) return false;
    const tombstone = tombstoneOf(file);
    if (!(await renameIfPresent(file, tombstone))) return false;
    // From here a `put` finds no blob and writes a new one; one that refreshed it before the rename shows here.
    const renamed = await statIfPresent(tombstone);
    if (renamed === null) return false;
    if (renamed.mtime.getTime() >= storedBefore.getTime()) {
      await this.#restore(file);
      return false;
    }
    return this.#unlink(tombstone);
  }

  /** Puts the tombstone of `file` back under its name, unless a `put` has written the blob anew meanwhile. */
  async #restore(file: string): Promise<void> {
    const tombstone = tombstoneOf(file);
    try {
      await link(tombstone, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EEXIST') throw error;
    }
    await this.#unlink(tombstone);
  }

  #temporaryPath(name: string): string {
    const parts = name.split(path.sep);
    if (parts.length !== 3 || !TEMPORARY.test(parts[2] ?? '') || parts.slice(0, 2).some((p) => !FANOUT.test(p))) {
      throw new RangeError(`not a temporary file of the blob store: ${name}`);
    }
    return path.join(this.root, name);
  }
}

function tombstoneOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tomb`);
}

async function statIfPresent(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readIfPresent(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
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

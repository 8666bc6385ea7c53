import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, describeEachDatabase, useTestDatabase, type TestDatabaseUrl } from '#test-support/databases.js';
import { sha256Hex } from '../hash.js';
import type { BlobStore } from './blob-store.js';
import { DbBlobStore } from './db-blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';

function behavesAsBlobStore(store: () => BlobStore) {
  it('stores bytes under their SHA-256 and returns them', async () => {
    const bytes = Buffer.from('{"sarif": "2.1.0"}\n');
    const ref = await store().put(bytes);
    expect(ref).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
    expect(await store().has(ref.sha256)).toBe(true);
    expect((await store().get(ref.sha256))?.equals(bytes)).toBe(true);
  });

  it('stores identical bytes once', async () => {
    const a = await store().put(Buffer.from('same'));
    const b = await store().put(new Uint8Array(Buffer.from('same')));
    expect(a).toEqual(b);
  });

  it('answers null for an unknown hash and refuses a malformed one', async () => {
    expect(await store().get('0'.repeat(64))).toBeNull();
    expect(await store().has('0'.repeat(64))).toBe(false);
    await expect(store().get('../../etc/passwd')).rejects.toThrow(/SHA-256/);
  });

  it('deletes a blob for good, and deleting an absent one changes nothing', async () => {
    const kept = await store().put(Buffer.from('kept'));
    const gone = await store().put(Buffer.from('gone'));
    await store().delete(gone.sha256);
    await store().delete(gone.sha256);
    await store().delete('0'.repeat(64));
    expect(await store().has(gone.sha256)).toBe(false);
    expect(await store().get(gone.sha256)).toBeNull();
    expect((await store().get(kept.sha256))?.toString()).toBe('kept');
    await expect(store().delete('../../etc/passwd')).rejects.toThrow(/SHA-256/);
  });

  it('keeps binary content exact', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const ref = await store().put(bytes);
    expect([...((await store().get(ref.sha256)) ?? [])]).toEqual([...bytes]);
  });
}

describe('FsBlobStore', () => {
  let target: TestDatabaseUrl;
  beforeEach(async () => {
    target = await createTestDatabaseUrl('sqlite');
  });
  afterEach(() => target.drop());

  behavesAsBlobStore(() => new FsBlobStore(path.join(target.dir, 'blobs')));

  it('lays blobs out as ab/cd/<sha> and leaves no temporary files', async () => {
    const root = path.join(target.dir, 'blobs');
    const ref = await new FsBlobStore(root).put(Buffer.from('layout'));
    const file = path.join(root, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256);
    expect(statSync(file).size).toBe(6);
    expect(readdirSync(path.dirname(file))).toEqual([ref.sha256]);
  });

  it('detects a blob altered on disk', async () => {
    const root = path.join(target.dir, 'blobs');
    const store = new FsBlobStore(root);
    const ref = await store.put(Buffer.from('original'));
    writeFileSync(path.join(root, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256), 'tampered');
    await expect(store.get(ref.sha256)).rejects.toThrow(/corrupt/);
  });
});

describeEachDatabase('DbBlobStore', (dialect) => {
  const get = useTestDatabase(dialect);
  behavesAsBlobStore(() => new DbBlobStore(get().db));
});

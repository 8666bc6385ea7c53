import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { readUpload } from './upload.js';
import {
  OFF_THREAD_BYTES,
  readUploadOffThread,
  stopUploadThreads,
  UPLOAD_THREAD_YOUNG_GENERATION_MB,
  uploadThreadsBusyMs,
  uploadThreadsResourceLimits,
} from './upload-threads.js';

/** A native document over the size from which uploads are read off the main thread. */
function largeDocument(findings = 400, change: (i: number) => Record<string, unknown> = () => ({})): Buffer {
  const bytes = nativeDocument(
    Array.from({ length: findings }, (_, i) =>
      nativeFinding({
        title: `SQL injection ${i}`,
        location: { path: `shop/orders/search${i}.py`, function: `search_${i}` },
        ...change(i),
      }),
    ),
  );
  expect(bytes.length).toBeGreaterThan(OFF_THREAD_BYTES);
  return bytes;
}

describe('upload threads', () => {
  afterAll(() => stopUploadThreads());

  it('read a large upload on a worker thread into what reading it on the spot gives', async () => {
    const bytes = largeDocument();
    const before = uploadThreadsBusyMs();
    const read = await readUploadOffThread(bytes, 'large.json', {});
    expect(uploadThreadsBusyMs()).toBeGreaterThan(before);
    expect(read).toEqual(readUpload(bytes, 'large.json', {}));
    expect(read.document.findings).toHaveLength(400);
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('run with a young generation larger than V8 gives a thread by default, so that reading collects less often', async () => {
    await readUploadOffThread(largeDocument(), 'large.json', {});
    const limits = uploadThreadsResourceLimits();
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(limit.maxYoungGenerationSizeMb).toBe(UPLOAD_THREAD_YOUNG_GENERATION_MB);
    expect(UPLOAD_THREAD_YOUNG_GENERATION_MB).toBeGreaterThan(48);
  });

  it('hand back the inflated bytes of a compressed upload, hashed as inflated', async () => {
    const bytes = largeDocument();
    const read = await readUploadOffThread(gzipSync(bytes), 'large.json.gz', {});
    expect(Buffer.from(read.bytes).equals(bytes)).toBe(true);
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuse a bad upload with the input error, its code and every issue, as on the spot', async () => {
    const bytes = largeDocument(400, (i) => (i === 123 || i === 321 ? { target: { purl: 'not a purl' } } : {}));
    const error = await readUploadOffThread(bytes, 'large.json', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((i) => i.pointer)).toEqual(['/findings/123/target/purl', '/findings/321/target/purl']);
    let inline: unknown;
    try {
      readUpload(bytes, 'large.json', {});
    } catch (e) {
      inline = e;
    }
    expect({ ...(error as InputError), message: (error as InputError).message }).toEqual({
      ...(inline as InputError),
      message: (inline as InputError).message,
    });
  });

  it('finish the uploads being read when stopped, and start again for the next one', async () => {
    const bytes = largeDocument();
    const reading = readUploadOffThread(bytes, 'large.json', {});
    await stopUploadThreads();
    expect((await reading).document.findings).toHaveLength(400);
    expect((await readUploadOffThread(bytes, 'large.json', {})).document.findings).toHaveLength(400);
  });
});

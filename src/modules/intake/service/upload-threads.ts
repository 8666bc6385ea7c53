import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError, type FieldIssue } from '../../../platform/errors.js';
import type { ParseOptions } from '../domain/index.js';
import { fromColumns, type PreparedColumns, type PreparedDocument } from '../domain/prepared-document.js';
import { readUpload, type ReadUpload } from './upload.js';

/**
 * Uploads read off the main thread. Parsing, validating, fingerprinting and serializing a submission's
 * findings are pure CPU work (about a quarter of intake's main-thread time, issue 14): a small pool of worker
 * threads does it, and the main thread only stores rows. Small uploads (a single advisory) are read on the
 * spot, where handing them over would cost more than it saves. The pool starts with the first large upload,
 * keeps no process alive while idle, and `stopUploadThreads` ends it (the runtime's close).
 */

/** Uploads smaller than this are read on the calling thread. */
export const OFF_THREAD_BYTES = 64 * 1024;

/**
 * The most an upload thread's young generation (where V8 puts new objects) may grow to: 96 MiB, twice V8's
 * default of 48 on 64-bit. Reading a 1,000-finding upload makes tens of megabytes of short-lived objects, and
 * each collection of the young generation copies what is still alive — the document being read. A larger one
 * is collected half as often: bench intake's documents read on one thread, 17.2-18.3 -> 13.4-15.0 us a finding
 * (semi-space 32 MiB); in bench intake-ab, the threads beside the main one 38.8 -> 36.5 us a finding (mean of
 * four same-run pairs at load 11-18, mostly V8's collector helpers; issue 14). Memory is taken as it grows.
 */
export const UPLOAD_THREAD_YOUNG_GENERATION_MB = 96;

/** Threads beside the main one: one per core left over, at most two (the main thread writes while they read). */
const THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));

export interface UploadRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly options: ParseOptions;
}

/** An error as a worker hands it over: its class by name and the fields the callers read. */
interface DescribedError {
  readonly kind: string;
  readonly message: string;
  readonly code?: string;
  readonly issues?: readonly FieldIssue[];
  readonly limitBytes?: number;
  readonly stack?: string;
}

export type UploadReply =
  | {
      readonly id: number;
      readonly bytes: Uint8Array | null;
      readonly sha256: string;
      /** The prepared document, its findings as columns (toColumns). */
      readonly document: Omit<PreparedDocument, 'findings'> & { readonly findings: PreparedColumns };
      readonly busyMs: number;
    }
  | { readonly id: number; readonly error: DescribedError; readonly busyMs: number };

export function describeError(error: unknown): DescribedError {
  if (error instanceof InputError) return { kind: 'input', message: error.message, code: error.code, issues: error.issues };
  if (error instanceof PayloadTooLargeError) return { kind: 'too-large', message: error.message, limitBytes: error.limitBytes };
  if (error instanceof UnsupportedMediaTypeError) return { kind: 'unsupported', message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'internal', message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
}

function rebuildError(described: DescribedError): Error {
  switch (described.kind) {
    case 'input':
      return new InputError(described.message, described.issues ?? [], { code: described.code ?? 'invalid-input' });
    case 'too-large':
      return new PayloadTooLargeError(described.message, described.limitBytes ?? 0);
    case 'unsupported':
      return new UnsupportedMediaTypeError(described.message);
    default:
      return new Error(`reading an upload failed on its thread: ${described.stack ?? described.message}`);
  }
}

interface Waiting {
  readonly resolve: (read: ReadUpload) => void;
  readonly reject: (error: Error) => void;
  readonly bytes: Uint8Array;
}

class UploadThread {
  readonly worker: Worker;
  readonly waiting = new Map<number, Waiting>();
  #stopping = false;

  constructor(onExit: (thread: UploadThread) => void) {
    this.worker = startWorker();
    this.worker.on('message', (reply: UploadReply) => this.#answer(reply));
    const fail = (error: Error) => {
      onExit(this);
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`an upload thread exited (code ${code})`)));
    // Idle, it never keeps the process alive: a CLI command ends when its work does.
    this.worker.unref();
  }

  read(id: number, bytes: Uint8Array, name: string, options: ParseOptions): Promise<ReadUpload> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, bytes });
      // Held while an upload is being read, so that the process waits for the answer.
      this.worker.ref();
      this.worker.postMessage({ id, bytes, name, options } satisfies UploadRequest);
    });
  }

  /** Ends the worker once nothing waits for it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.waiting.size === 0) await this.worker.terminate();
  }

  #answer(reply: UploadReply): void {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    busyMs += reply.busyMs;
    if ('error' in reply) waiting.reject(rebuildError(reply.error));
    else
      waiting.resolve({
        bytes: reply.bytes ?? waiting.bytes,
        sha256: reply.sha256,
        document: { ...reply.document, findings: fromColumns(reply.document.findings) },
      });
    if (this.#stopping && this.waiting.size === 0) void this.worker.terminate();
  }
}

/**
 * From the build, the worker is its compiled file; from sources (tsx, Vitest), Node cannot load TypeScript
 * itself, so a small evaluated script loads it through tsx's API, which the project's tooling provides.
 */
function startWorker(): Worker {
  const own = import.meta.url;
  const resourceLimits = { maxYoungGenerationSizeMb: UPLOAD_THREAD_YOUNG_GENERATION_MB };
  if (!own.endsWith('.ts')) return new Worker(new URL('./upload-thread.js', own), { resourceLimits });
  const tsx = pathToFileURL(createRequire(own).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const source = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => api.tsImport(workerData.entry, workerData.entry));`;
  return new Worker(source, { eval: true, resourceLimits, workerData: { tsx, entry: new URL('./upload-thread.ts', own).href } });
}

const threads: UploadThread[] = [];
let nextId = 0;
let busyMs = 0;

function leastBusy(): UploadThread {
  let best: UploadThread | undefined;
  for (const thread of threads) if (best === undefined || thread.waiting.size < best.waiting.size) best = thread;
  if (best !== undefined && (best.waiting.size === 0 || threads.length >= THREADS)) return best;
  const started = new UploadThread((gone) => {
    const at = threads.indexOf(gone);
    if (at >= 0) threads.splice(at, 1);
  });
  threads.push(started);
  return started;
}

/**
 * {@link readUpload}, on a worker thread when the upload is large: the same answer and the same errors (input
 * errors keep their class, code and issues).
 */
export function readUploadOffThread(bytes: Uint8Array, name: string, options: ParseOptions): Promise<ReadUpload> {
  if (bytes.length < OFF_THREAD_BYTES) return Promise.resolve().then(() => readUpload(bytes, name, options));
  return leastBusy().read(nextId++, bytes, name, options);
}

/** The engine limits each running upload thread was started with (for tests and benchmarks). */
export function uploadThreadsResourceLimits(): ResourceLimits[] {
  return threads.map((thread) => thread.worker.resourceLimits ?? {});
}

/** Milliseconds the upload threads spent reading uploads since the process started (for benchmarks). */
export function uploadThreadsBusyMs(): number {
  return busyMs;
}

/**
 * Ends the upload threads once the uploads they are reading are answered (another runtime of the process may
 * be waiting for one); an upload after this starts new ones.
 */
export async function stopUploadThreads(): Promise<void> {
  await Promise.all(threads.splice(0).map((thread) => thread.stop()));
}

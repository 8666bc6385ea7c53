import { parentPort } from 'node:worker_threads';
import { toColumns } from '../domain/prepared-document.js';
import { readUpload } from './upload.js';
import { describeError, type UploadReply, type UploadRequest } from './upload-threads.js';

// A worker of upload-threads.ts: reads one upload per message, answers it (or the error it threw) and how
// long it took.
const port = parentPort;
if (port === null) throw new Error('upload-thread.ts runs as a worker thread');
port.on('message', (request: UploadRequest) => {
  const start = performance.now();
  let reply: UploadReply;
  try {
    const read = readUpload(request.bytes, request.name, request.options);
    reply = {
      id: request.id,
      // The inflated bytes only when there were compressed ones: else the caller has them.
      bytes: read.bytes === request.bytes ? null : read.bytes,
      sha256: read.sha256,
      document: { ...read.document, findings: toColumns(read.document.findings) },
      busyMs: performance.now() - start,
    };
  } catch (error) {
    reply = { id: request.id, error: describeError(error), busyMs: performance.now() - start };
  }
  port.postMessage(reply);
});

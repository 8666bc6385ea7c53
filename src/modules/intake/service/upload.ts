import { gunzipSync } from 'node:zlib';
import { InputError, PayloadTooLargeError } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/hash.js';
import { parseSubmission, type ParseOptions, type SourceFormat } from '../domain/index.js';
import { prepareDocument, type PreparedDocument } from '../domain/prepared-document.js';

const MiB = 1024 * 1024;

/**
 * The largest document accepted per format, after decompression. SARIF logs of whole code bases and
 * native batches from AI scanners are big; a single OSV or CVE record never is. CSAF advisories of large
 * vendors reach a few MB (Red Hat's run to 1.6 MB).
 */
export const FORMAT_LIMITS: Readonly<Record<SourceFormat, number>> = Object.freeze({
  sarif: 64 * MiB,
  native: 64 * MiB,
  csaf: 16 * MiB,
  osv: 2 * MiB,
  cve5: 2 * MiB,
});

/** No document may decompress to more than this, whatever its format. */
export const MAX_DOCUMENT_BYTES = Math.max(...Object.values(FORMAT_LIMITS));

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The document inside an upload: gzip is recognized by its magic bytes and inflated with a cap, so that
 * a decompression bomb stops at the cap instead of filling memory. Throws PayloadTooLargeError (413)
 * beyond {@link MAX_DOCUMENT_BYTES} and InputError for an empty or corrupt upload.
 */
export function decodeUpload(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length === 0)
    throw new InputError(`${name} is empty`, [{ pointer: '', detail: 'must not be empty' }], { code: 'empty-document' });
  if (!isGzip(bytes)) {
    if (bytes.length > MAX_DOCUMENT_BYTES)
      throw new PayloadTooLargeError(`${name} is larger than ${MAX_DOCUMENT_BYTES / MiB} MiB`, MAX_DOCUMENT_BYTES);
    return bytes;
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_DOCUMENT_BYTES });
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
      /maxOutputLength|buffer length/i.test((error as Error).message)
    ) {
      throw new PayloadTooLargeError(
        `${name} decompresses to more than ${MAX_DOCUMENT_BYTES / MiB} MiB (refused as a possible decompression bomb)`,
        MAX_DOCUMENT_BYTES,
      );
    }
    throw new InputError(`${name} is not valid gzip: ${(error as Error).message}`, [{ pointer: '', detail: 'is corrupt gzip' }], {
      code: 'malformed-document',
    });
  }
}

/** Refuses a document over its format's limit (413), naming the format and the limit. */
export function checkFormatLimit(format: SourceFormat, size: number, name: string): void {
  const limit = FORMAT_LIMITS[format];
  if (size > limit)
    throw new PayloadTooLargeError(
      `${name} is a ${format} document of ${(size / MiB).toFixed(1)} MiB; the limit for ${format} is ${limit / MiB} MiB`,
      limit,
    );
}

/** An upload read for intake: the document's bytes (inflated), their SHA-256 and the document, prepared. */
export interface ReadUpload {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly document: PreparedDocument;
}

/**
 * Everything intake makes of an upload before it stores anything: decodes it, parses, detects and validates
 * the document, checks its format's size limit, hashes the bytes and prepares every finding (row columns,
 * fingerprint, stored JSON). Pure CPU work, the same on any thread (upload-threads.ts runs it off the main one).
 *
 * @throws the errors of {@link decodeUpload}, `parseSubmission` and {@link checkFormatLimit}.
 */
export function readUpload(input: Uint8Array, name: string, options: ParseOptions): ReadUpload {
  const bytes = decodeUpload(input, name);
  const parsed = parseSubmission(bytes, options);
  checkFormatLimit(parsed.format, bytes.length, name);
  return { bytes, sha256: sha256Hex(bytes), document: prepareDocument(parsed) };
}

import type { FastifyReply } from 'fastify';

/**
 * Media types a stored file may be served as: none of them is rendered as a page or run by a browser
 * that respects `nosniff` and `attachment`. Anything else, whatever the uploader declared, goes out as
 * `application/octet-stream`.
 */
const SAFE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/gzip',
  'application/json',
  'application/pdf',
  'application/zip',
  'image/gif',
  'image/jpeg',
  'image/png',
  'text/csv',
  'text/plain',
]);

/** The type to serve a stored file as: the declared type's essence when allow-listed, else octet-stream. */
export function safeMediaType(declared: string | null | undefined): string {
  const essence = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return SAFE_MEDIA_TYPES.has(essence) ? essence : 'application/octet-stream';
}

/**
 * `attachment` with an ASCII fallback name and the name in RFC 8187 encoding (RFC 6266 §4.3): the last
 * path segment of what the uploader called it, without control characters or leading dots.
 */
export function attachmentDisposition(filename: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const CONTROL = /[\u0000-\u001f\u007f]/g;
  const name = (filename.split(/[\\/]/).pop() ?? '').replace(CONTROL, '').replace(/^\.+/, '').slice(0, 255) || 'download';
  const fallback = name.replace(/[^\w.-]+/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

export interface StoredFile {
  readonly bytes: Buffer;
  readonly filename: string;
  /** What the uploader said it is; served only when allow-listed ({@link safeMediaType}). */
  readonly mediaType?: string | null;
}

/**
 * Sends stored material (evidence, review materials, any blob) the one safe way: always an attachment,
 * under a safe type, never rendered in the browser (a sandboxing policy in case it is anyway).
 */
export function sendStoredFile(reply: FastifyReply, file: StoredFile): FastifyReply {
  return reply
    .type(safeMediaType(file.mediaType))
    .header('content-disposition', attachmentDisposition(file.filename))
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(file.bytes);
}

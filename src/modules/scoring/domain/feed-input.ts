import { gunzipSync } from 'node:zlib';
import { PayloadTooLargeError } from '../../../platform/errors.js';
import { rejectInput } from '../../../platform/input/issues.js';

/**
 * Feed files as they arrive: text or bytes, possibly gzip-compressed, bounded in size. Decompression is
 * capped at the same limit, so a small `.gz` that inflates to gigabytes is refused, not unpacked.
 */

/** 64 MiB: the daily EPSS CSV is about 10 MiB uncompressed and the KEV catalog under 2 MiB. */
export const DEFAULT_FEED_MAX_BYTES = 64 * 1024 * 1024;

export interface FeedInputOptions {
  /** The most bytes the feed may take, after decompression; default {@link DEFAULT_FEED_MAX_BYTES}. */
  readonly maxBytes?: number;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function tooLarge(what: string, maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`${what} is larger than ${maxBytes} bytes`, maxBytes);
}

function gunzip(bytes: Uint8Array, what: string, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge(`${what} (uncompressed)`, maxBytes);
    return rejectInput(`${what} is not valid gzip`, [{ pointer: '', detail: `gzip: ${(error as Error).message}` }]);
  }
}

/**
 * The text of a feed: bytes are gunzipped when they start with the gzip magic number, then decoded as
 * UTF-8; a leading byte-order mark is dropped.
 *
 * @param what how messages name the input ("the EPSS CSV").
 * @throws PayloadTooLargeError when the input, or what it inflates to, exceeds `maxBytes`.
 * @throws InputError when the bytes are neither valid gzip (given the magic number) nor valid UTF-8.
 */
export function decodeFeedText(input: string | Uint8Array, what: string, options: FeedInputOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > maxBytes) throw tooLarge(what, maxBytes);
    return input.startsWith('\uFEFF') ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) throw tooLarge(what, maxBytes);
  const bytes = input[0] === GZIP_MAGIC[0] && input[1] === GZIP_MAGIC[1] ? gunzip(input, what, maxBytes) : input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return rejectInput(`${what} is not UTF-8 text`, [{ pointer: '', detail: 'is not valid UTF-8' }]);
  }
}

/**
 * Parses JSON text.
 *
 * @throws InputError when the text is not JSON, with the parser's reason.
 */
export function parseFeedJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return rejectInput(`${what} is not JSON`, [{ pointer: '', detail: `unreadable as JSON (${(error as Error).message})` }]);
  }
}

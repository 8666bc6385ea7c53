import { InputError, PayloadTooLargeError } from '../../../platform/errors.js';
import { DEFAULT_FEED_MAX_BYTES } from '../domain/feed-input.js';

/** How long one feed download may take; the daily EPSS file is about 2 MB gzip. */
export const FEED_FETCH_TIMEOUT_MS = 120_000;

export function isFeedUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Downloads a feed with `fetch`: bounded in size (PayloadTooLargeError beyond `maxBytes`, counted as the
 * bytes arrive) and in time. A URL that is not http(s) is an InputError; a server that does not answer
 * 2xx, or no answer at all, is an Error naming the URL.
 */
export async function fetchFeed(
  url: string,
  options: { readonly maxBytes?: number; readonly timeoutMs?: number } = {},
): Promise<Uint8Array> {
  if (!isFeedUrl(url))
    throw new InputError(`the feed URL must be http(s): ${url}`, [{ pointer: '/url', detail: 'must start with http:// or https://' }]);
  const maxBytes = options.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? FEED_FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw new Error(`cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || response.body === null) throw new Error(`${url} answered HTTP ${response.status}`);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(`${url} is larger than ${maxBytes} bytes`, maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

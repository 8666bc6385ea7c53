/**
 * File paths as the fingerprint needs them: relative to the source root, forward slashes, URI-decoded,
 * without `.` segments, and never climbing above the root with `..`.
 */

export interface NormalizedPath {
  readonly path: string;
  /** The input climbed above its root (`../x`); the climbing segments were dropped. */
  readonly escaped: boolean;
  /** The input was absolute (`/x`, `C:\x`, `file:///x`) and no base could make it relative. */
  readonly absolute: boolean;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A lone `%` is a literal character in a file name, not an encoding error to reject the finding for.
    return value;
  }
}

/**
 * Normalizes a relative path or relative URI reference. A leading `/` or drive letter is dropped and
 * reported as `absolute`; `..` above the root is dropped and reported as `escaped`. Returns null for an
 * empty result.
 */
export function normalizeRelativePath(raw: string): NormalizedPath | null {
  let value = raw.trim();
  let absolute = false;
  if (/^file:/i.test(value)) {
    value = value.replace(/^file:(\/\/[^/]*)?/i, '');
    absolute = true;
  }
  value = decode(value.split(/[?#]/)[0] ?? '').replace(/\\/g, '/');
  if (/^\/?[A-Za-z]:\//.test(value)) {
    value = value.replace(/^\/?[A-Za-z]:/, '');
    absolute = true;
  }
  if (value.startsWith('/')) absolute = true;
  const out: string[] = [];
  let escaped = false;
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) escaped = true;
      else out.pop();
      continue;
    }
    out.push(segment);
  }
  if (out.length === 0) return null;
  return { path: out.join('/'), escaped, absolute };
}

/** `base` ends with a separator so that `src` does not claim `srcfoo/x`. */
function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/**
 * Makes an absolute URI relative to the longest of the given absolute bases that contains it
 * (case-insensitive for `file:` URIs, which come from case-insensitive Windows file systems). Returns null
 * when no base contains it.
 */
export function relativeToBase(uri: string, bases: readonly string[]): string | null {
  let best: string | null = null;
  for (const base of bases) {
    const b = withSlash(base.replace(/\/{2,}$/, '/'));
    const fileLike = /^file:/i.test(b);
    const contains = fileLike ? uri.toLowerCase().startsWith(b.toLowerCase()) : uri.startsWith(b);
    if (contains && (best === null || b.length > best.length)) best = b;
  }
  return best === null ? null : uri.slice(best.length);
}

/** True for a URI with a scheme (`file:`, `https:`…); a Windows drive letter is not a scheme. */
export function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(value) && !/^[A-Za-z]:[\\/]/.test(value);
}

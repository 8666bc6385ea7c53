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

/**
 * Checkout folders of CI services, as normalized paths begin with them (no leading `/`, no drive letter):
 * an absolute path under one of them is the same file as the relative path after it on a developer's
 * machine or another runner. `distinctive` ones cannot be the start of a path inside a repository; the
 * others are only dropped from a path known to have been absolute.
 */
const CHECKOUT_FOLDERS: readonly { readonly pattern: RegExp; readonly distinctive: boolean }[] = [
  // GitHub Actions: Linux and macOS runners, container jobs, container actions.
  { pattern: /^home\/runner\/work\/[^/]+\/[^/]+\//, distinctive: true },
  { pattern: /^Users\/runner\/work\/[^/]+\/[^/]+\//, distinctive: true },
  { pattern: /^__w\/[^/]+\/[^/]+\//, distinctive: true },
  { pattern: /^github\/workspace\//, distinctive: true },
  // Azure Pipelines: hosted Linux, self-hosted agents.
  { pattern: /^home\/vsts\/work\/\d+\/s\//, distinctive: true },
  { pattern: /^(?:azp\/|agent\/)?_work\/\d+\/s\//, distinctive: true },
  // GitLab CI (namespace and project), Jenkins, CircleCI, Bitbucket Pipelines, Travis CI, Drone, Buildkite.
  { pattern: /^builds\/[^/]+\/[^/]+\//, distinctive: false },
  { pattern: /^(?:var\/lib\/jenkins|home\/jenkins(?:\/agent)?|jenkins)\/workspace\/[^/]+\//i, distinctive: true },
  { pattern: /^home\/circleci\/project\//, distinctive: true },
  { pattern: /^opt\/atlassian\/pipelines\/agent\/build\//, distinctive: true },
  { pattern: /^home\/travis\/build\/[^/]+\/[^/]+\//, distinctive: true },
  { pattern: /^drone\/src\//, distinctive: true },
  { pattern: /^var\/lib\/buildkite-agent\/builds\/[^/]+\/[^/]+\/[^/]+\//, distinctive: true },
  // Windows runners of GitHub Actions (D:\a\<repo>\<repo>) and Azure Pipelines (D:\a\1\s).
  { pattern: /^a\/[^/]+\/[^/]+\//, distinctive: false },
];

/**
 * A normalized path without the checkout folder of a CI service it starts with (`home/runner/work/shop/shop/src/a.js`
 * → `src/a.js`). `absolute`: the path was absolute before normalizing, so that less distinctive folders
 * (`a/…`, `builds/…`) count too. GitLab's `builds/<namespace>/<project>/` takes the repository's path when
 * it is known (nested groups), else two segments. Returns the path unchanged when no folder matches or
 * nothing would remain.
 */
export function withoutCheckoutPrefix(path: string, options: { absolute: boolean; repositoryPath?: string | null }): string {
  const repo = options.repositoryPath?.replace(/^\/+|\/+$/g, '');
  if (options.absolute && repo && path.toLowerCase().startsWith(`builds/${repo.toLowerCase()}/`)) {
    const rest = path.slice(`builds/${repo}/`.length);
    if (rest !== '') return rest;
  }
  for (const { pattern, distinctive } of CHECKOUT_FOLDERS) {
    if (!distinctive && !options.absolute) continue;
    const match = pattern.exec(path);
    if (match !== null && match[0].length < path.length) return path.slice(match[0].length);
  }
  return path;
}

/** An absolute file-system path (`/x`, `C:\x`, `\\server\share\x`) as a `file:` URI; null for anything else. */
export function fileUriOf(path: string): string | null {
  const p = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(p)) return `file:///${p}`;
  if (p.startsWith('//')) return `file:${p}`;
  if (p.startsWith('/')) return `file://${p}`;
  return null;
}

/**
 * Source repository URLs, reduced to one identity per repository so that the clone URL, the web URL and
 * the scp-like `git@host:owner/repo` of one repository compare equal. Used wherever a repository is a key:
 * intake's finding targets, scanning's campaign scopes and leases.
 */

export interface RepositoryUrl {
  /** Host, lower-cased. */
  readonly host: string;
  /** Path without leading or trailing `/` and without a trailing `.git`, lower-cased. */
  readonly path: string;
  /** `repo:<host>/<path>`. */
  readonly identity: string;
}

const SCHEMES = ['http:', 'https:', 'git:', 'ssh:', 'git+https:', 'git+ssh:'];

/**
 * Reads http(s), git and ssh URLs and the scp-like `git@host:owner/repo`; drops the scheme, credentials,
 * port, query, fragment, a trailing `.git` and `/`, and lower-cases. Null when the value is not such a URL
 * or names no path.
 */
export function readRepositoryUrl(raw: string): RepositoryUrl | null {
  const value = raw.trim();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(value);
  let host: string;
  let path: string;
  if (scp) {
    host = scp[1] ?? '';
    path = scp[2] ?? '';
  } else {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    if (!SCHEMES.includes(url.protocol)) return null;
    host = url.hostname;
    path = url.pathname;
  }
  const cleanPath = path
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/^\/+/, '')
    .toLowerCase();
  if (host === '' || cleanPath === '') return null;
  const lowerHost = host.toLowerCase();
  return { host: lowerHost, path: cleanPath, identity: `repo:${lowerHost}/${cleanPath}` };
}

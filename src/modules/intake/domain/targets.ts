import type { Target } from './finding.js';

/**
 * Non-package targets: CPEs, source repositories and vendor/product pairs, each with a version-free
 * identity (see {@link Target}).
 */

// CPE 2.3 formatted strings escape ':' with a backslash; split on the unescaped ones only.
function splitCpe23(value: string): string[] {
  return value.split(/(?<!\\):/);
}

/**
 * A CPE 2.3 formatted string (`cpe:2.3:a:vendor:product:…`) or 2.2 URI (`cpe:/a:vendor:product:…`) as a target;
 * null when it is neither. The string is kept as given; the identity is part, vendor and product, lower-cased.
 */
export function cpeTarget(raw: string): Extract<Target, { kind: 'cpe' }> | null {
  const cpe = raw.trim();
  let parts: string[];
  if (/^cpe:2\.3:/i.test(cpe)) parts = splitCpe23(cpe).slice(2);
  else if (/^cpe:\/[aho]?/i.test(cpe)) parts = cpe.slice(5).split(':');
  else return null;
  const [part, vendor, product] = parts.map((p) => p.toLowerCase());
  if (!part || !/^[aho*]$/.test(part) || !vendor || !product) return null;
  return { kind: 'cpe', cpe, identity: `cpe:${part}:${vendor}:${product}` };
}

/**
 * A source repository as a target. Accepts http(s), git and ssh URLs and the scp-like `git@host:owner/repo`;
 * the identity drops the scheme, credentials, a trailing `.git` and `/`, and is lower-cased, so that the
 * clone URL and the web URL of a repository are one target. Null when the value is not such a URL.
 */
export function repositoryTarget(raw: string, commit: string | null = null): Extract<Target, { kind: 'repository' }> | null {
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
    if (!['http:', 'https:', 'git:', 'ssh:', 'git+https:', 'git+ssh:'].includes(url.protocol)) return null;
    host = url.hostname;
    path = url.pathname;
  }
  const cleanPath = path
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/^\/+/, '');
  if (host === '' || cleanPath === '') return null;
  const normalizedCommit = commit === null ? null : commit.trim().toLowerCase() || null;
  return { kind: 'repository', url: value, commit: normalizedCommit, identity: `repo:${host}/${cleanPath}`.toLowerCase() };
}

const UNKNOWN = new Set(['', 'n/a', 'na', 'unknown', '-', '*']);

/** A vendor/product pair (CVE 5 `affected` without a package URL); null when either is a placeholder such as `n/a`. */
export function productTarget(vendor: string, product: string): Extract<Target, { kind: 'product' }> | null {
  const v = vendor.trim();
  const p = product.trim();
  if (UNKNOWN.has(v.toLowerCase()) || UNKNOWN.has(p.toLowerCase())) return null;
  return { kind: 'product', vendor: v, product: p, identity: `product:${v}/${p}`.toLowerCase().replace(/\s+/g, ' ') };
}

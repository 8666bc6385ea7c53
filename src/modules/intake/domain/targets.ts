import { productIdentity, readCpe, readRepositoryUrl } from '../../../platform/software/index.js';
import type { Target } from './finding.js';

/**
 * Non-package targets: CPEs, source repositories and vendor/product pairs, each with a version-free
 * identity (see {@link Target}). The identities are the platform's (`platform/software`), shared with the
 * scanning module so that a scan target and a finding's target compare equal.
 */

/**
 * A CPE 2.3 formatted string (`cpe:2.3:a:vendor:product:…`) or 2.2 URI (`cpe:/a:vendor:product:…`) as a target;
 * null when it is neither. The string is kept as given; the identity is part, vendor and product, lower-cased.
 */
export function cpeTarget(raw: string): Extract<Target, { kind: 'cpe' }> | null {
  const name = readCpe(raw);
  return name === null ? null : { kind: 'cpe', cpe: name.cpe, identity: name.identity };
}

/**
 * A source repository as a target. Accepts http(s), git and ssh URLs and the scp-like `git@host:owner/repo`;
 * the identity drops the scheme, credentials, a trailing `.git` and `/`, and is lower-cased, so that the
 * clone URL and the web URL of a repository are one target. Null when the value is not such a URL.
 */
export function repositoryTarget(raw: string, commit: string | null = null): Extract<Target, { kind: 'repository' }> | null {
  const repository = readRepositoryUrl(raw);
  if (repository === null) return null;
  const normalizedCommit = commit === null ? null : commit.trim().toLowerCase() || null;
  return { kind: 'repository', url: raw.trim(), commit: normalizedCommit, identity: repository.identity };
}

/** A vendor/product pair (CVE 5 `affected` without a package URL); null when either is a placeholder such as `n/a`. */
export function productTarget(vendor: string, product: string): Extract<Target, { kind: 'product' }> | null {
  const identity = productIdentity(vendor, product);
  return identity === null ? null : { kind: 'product', vendor: vendor.trim(), product: product.trim(), identity };
}

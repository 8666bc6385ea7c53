import { packageTargetFromPurl, purlVersion } from '../../intake/index.js';

/**
 * Vendors suggested from package URLs. A vendor organisation declares the purl scopes it owns — a whole
 * namespace (`pkg:npm/@acme`, `pkg:maven/com.acme`) or one product (`pkg:pypi/acme-widgets`,
 * `pkg:maven/com.acme/widget`) — and the affected purls of a case's clusters propose every vendor whose scope
 * contains one of them. VINCE's coordinators added a 121-vendor case's vendors by hand; here they approve.
 */

export interface PurlScope {
  /** Canonical, version-free: `pkg:type/namespace[/name]`. */
  readonly scope: string;
  readonly type: string;
}

/**
 * Reads a declared scope into its canonical form (the platform purl reader: type lower-cased, per-type name rules), or
 * null with the reason. Versions, qualifiers and subpaths are refused: a scope names what a vendor owns,
 * not one release of it.
 */
export function readPurlScope(raw: string): { ok: true; value: PurlScope } | { ok: false; reason: string } {
  const text = raw.trim();
  const target = packageTargetFromPurl(text);
  if (target !== null && (/[?#]/.test(text) || purlVersion(text) !== null))
    return { ok: false, reason: 'must name a namespace or product without a version, qualifiers or subpath' };
  if (target === null) return { ok: false, reason: 'must be a package URL scope such as pkg:npm/@acme or pkg:maven/com.acme/widget' };
  const type = target.identity.slice(4, target.identity.indexOf('/'));
  return { ok: true, value: { scope: target.identity, type } };
}

/** Whether the purl lies inside the scope: the same identity, or below it at a `/` boundary. */
export function scopeContains(scope: string, purl: string): boolean {
  const identity = packageTargetFromPurl(purl)?.identity;
  if (identity === undefined) return false;
  return identity === scope || identity.startsWith(`${scope}/`);
}

export interface VendorScope {
  readonly orgId: string;
  readonly scope: string;
}

export interface VendorSuggestion {
  readonly orgId: string;
  /** Each affected purl the vendor's scopes contain, with the most specific scope that did. */
  readonly matches: readonly { readonly purl: string; readonly scope: string }[];
}

/**
 * The vendors whose declared scopes contain at least one of `purls`, most matched purls first (then by
 * organisation id, so the order is stable). Vendors already taking part are left out by the caller.
 */
export function suggestVendors(purls: readonly string[], scopes: readonly VendorScope[]): VendorSuggestion[] {
  const identities = [...new Set(purls)].flatMap((purl) => {
    const identity = packageTargetFromPurl(purl)?.identity;
    return identity === undefined ? [] : [{ purl, identity }];
  });
  const byOrg = new Map<string, Map<string, string>>();
  for (const { orgId, scope } of scopes) {
    for (const { purl, identity } of identities) {
      if (identity !== scope && !identity.startsWith(`${scope}/`)) continue;
      const found = byOrg.get(orgId) ?? new Map<string, string>();
      const previous = found.get(purl);
      if (previous === undefined || previous.length < scope.length) found.set(purl, scope);
      byOrg.set(orgId, found);
    }
  }
  return [...byOrg.entries()]
    .map(([orgId, found]) => ({
      orgId,
      matches: [...found.entries()].map(([purl, scope]) => ({ purl, scope })).sort((a, b) => a.purl.localeCompare(b.purl)),
    }))
    .sort((a, b) => b.matches.length - a.matches.length || a.orgId.localeCompare(b.orgId));
}

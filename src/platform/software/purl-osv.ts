import { formatPackageUrl, formatPackageUrlAndIdentity, parsePackageUrl, buildPackageUrl, type PackageUrl } from './purl.js';
import { releaseSuffix } from './purl-release.js';

/**
 * Package URLs ↔ OSV packages (ecosystem + name), the one mapping intake, inventory and scanning share, so
 * that an advisory's package, an SBOM component and a scan target key on the same strings.
 */

/** A purl read as an OSV package. */
export interface PurlPackage {
  /** The purl in canonical form. */
  readonly purl: string;
  /** The version-free canonical purl (`pkg:type/namespace/name`): the package, whatever its version. */
  readonly identity: string;
  readonly type: string;
  /** OSV ecosystem, with a release suffix when the purl's qualifiers name one; null if none maps. */
  readonly ecosystem: string | null;
  /** The package name as OSV writes it: Maven `group:artifact`, npm `@scope/name`, Go full module path. */
  readonly name: string;
  readonly version: string | null;
  readonly qualifiers: Readonly<Record<string, string>>;
}

export type PurlParseResult = { readonly ok: true; readonly value: PurlPackage } | { readonly ok: false; readonly reason: string };

type Split = 'slash' | 'colon' | 'owner';

// OSV ecosystem → the purl we write for it; the first row per ecosystem wins. Later rows are other
// spellings SBOM tools use, read but never written.
const ROWS: ReadonlyArray<readonly [ecosystem: string, type: string, namespace: string | null, split?: Split]> = [
  ['PyPI', 'pypi', null],
  ['npm', 'npm', null, 'slash'],
  ['Go', 'golang', null, 'slash'],
  ['crates.io', 'cargo', null],
  ['Maven', 'maven', null, 'colon'],
  ['NuGet', 'nuget', null],
  ['RubyGems', 'gem', null],
  ['Packagist', 'composer', null, 'slash'],
  ['Hex', 'hex', null],
  ['Pub', 'pub', null],
  ['Hackage', 'hackage', null],
  ['CRAN', 'cran', null],
  ['ConanCenter', 'conan', null],
  ['Bitnami', 'bitnami', null],
  ['SwiftURL', 'swift', null, 'slash'],
  ['opam', 'opam', null],
  ['Julia', 'julia', null],
  // A sub-action (`owner/repo/path`) lives in its repository: the package is the repository.
  ['GitHub Actions', 'github', null, 'owner'],
  ['GitHub Actions', 'githubactions', null, 'owner'],
  ['Debian', 'deb', 'debian'],
  ['Ubuntu', 'deb', 'ubuntu'],
  ['Alpine', 'apk', 'alpine'],
  ['Wolfi', 'apk', 'wolfi'],
  ['Chainguard', 'apk', 'chainguard'],
  ['Alpaquita', 'apk', 'alpaquita'],
  ['Red Hat', 'rpm', 'redhat'],
  ['AlmaLinux', 'rpm', 'almalinux'],
  ['Rocky Linux', 'rpm', 'rocky-linux'],
  ['Rocky Linux', 'rpm', 'rocky'],
  ['SUSE', 'rpm', 'suse'],
  ['SUSE', 'rpm', 'sles'],
  ['openSUSE', 'rpm', 'opensuse'],
  ['Mageia', 'rpm', 'mageia'],
  ['Photon OS', 'rpm', 'photon'],
  ['openEuler', 'rpm', 'openeuler'],
  ['Azure Linux', 'rpm', 'azurelinux'],
  ['Azure Linux', 'rpm', 'mariner'],
];

const WRITE = new Map<string, (typeof ROWS)[number]>();
const READ = new Map<string, (typeof ROWS)[number]>();
for (const row of ROWS) {
  if (!WRITE.has(row[0])) WRITE.set(row[0], row);
  READ.set(row[2] === null ? row[1] : `${row[1]}/${row[2]}`, row);
}

/** The OSV ecosystem and name a parsed purl denotes (ecosystem null when no OSV ecosystem maps). */
export function osvPackageOf(p: PackageUrl): { readonly ecosystem: string | null; readonly name: string } {
  const row = READ.get(p.type) ?? READ.get(`${p.type}/${(p.namespace ?? '').toLowerCase()}`);
  if (row === undefined) return { ecosystem: null, name: p.name };
  const [base, , fixedNamespace, split] = row;
  const release = releaseSuffix(base, p);
  const ecosystem = release === null ? base : `${base}:${release}`;
  if (fixedNamespace !== null || p.namespace === null) return { ecosystem, name: p.name };
  return { ecosystem, name: split === 'colon' ? `${p.namespace}:${p.name}` : split ? `${p.namespace}/${p.name}` : p.name };
}

/** Parses a purl and reads it as an OSV package; an invalid one is a returned reason, not an exception. */
export function parsePurl(text: string): PurlParseResult {
  const r = parsePackageUrl(text);
  if (!r.ok) return { ok: false, reason: `invalid purl ${JSON.stringify(text)}: ${r.reason}` };
  const p = r.value;
  const { ecosystem, name } = osvPackageOf(p);
  // The identity is the canonical purl's start: formatted once for both.
  const { purl, identity } = formatPackageUrlAndIdentity(p);
  return {
    ok: true,
    value: {
      purl,
      identity,
      type: p.type,
      ecosystem,
      name,
      version: p.version,
      qualifiers: p.qualifiers,
    },
  };
}

/**
 * The purl for an OSV package (the reverse of {@link parsePurl}), e.g. ("Maven", "org.x:lib", "1.0") →
 * `pkg:maven/org.x/lib@1.0`; the ecosystem's release suffix is not written. Null when the ecosystem has no
 * purl type or the name does not fit it.
 */
export function purlPartsForPackage(ecosystem: string, name: string, version?: string | null): PackageUrl | null {
  const row = WRITE.get(ecosystem.split(':')[0]?.trim() ?? '');
  if (row === undefined) return null;
  const [, type, fixedNamespace, split] = row;
  let namespace: string | null = fixedNamespace;
  let local = name;
  if (split === 'colon') {
    const cut = name.indexOf(':');
    if (cut <= 0) return null;
    namespace = name.slice(0, cut);
    local = name.slice(cut + 1);
  } else if (split === 'owner') {
    const [owner, repo] = name.split('/');
    if (!owner || !repo) return null;
    namespace = owner;
    local = repo;
  } else if (split === 'slash') {
    const cut = name.lastIndexOf('/');
    if (cut > 0) {
      namespace = name.slice(0, cut);
      local = name.slice(cut + 1);
    }
  }
  const r = buildPackageUrl({ type, namespace, name: local, version: version ?? null });
  return r.ok ? r.value : null;
}

/** {@link purlPartsForPackage} as a canonical string. */
export function purlForPackage(ecosystem: string, name: string, version?: string | null): string | null {
  const p = purlPartsForPackage(ecosystem, name, version);
  return p === null ? null : formatPackageUrl(p);
}

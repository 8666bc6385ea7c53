import { PackageURL } from 'packageurl-js';
import { parseEcosystem } from './ecosystem.js';

/**
 * Package URLs (purl-spec) ↔ OSV packages. Parsing and canonical form are packageurl-js's (type
 * lower-cased, qualifiers sorted, per-type name rules such as PyPI's); the mapping from purl type (and,
 * for Linux distributions, namespace) to OSV ecosystem is ours.
 */

/** A purl read as an OSV package. */
export interface PurlPackage {
  /** The purl in canonical form. */
  readonly purl: string;
  readonly type: string;
  /** OSV ecosystem, with a release suffix when the purl's `distro` qualifier names one; null if none maps. */
  readonly ecosystem: string | null;
  /** The package name as OSV writes it: Maven `group:artifact`, npm `@scope/name`, Go full module path. */
  readonly name: string;
  readonly version: string | null;
  readonly qualifiers: Readonly<Record<string, string>>;
}

export type PurlParseResult = { readonly ok: true; readonly value: PurlPackage } | { readonly ok: false; readonly reason: string };

const BY_TYPE: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  hackage: 'Hackage',
  cran: 'CRAN',
  conan: 'ConanCenter',
  bitnami: 'Bitnami',
  githubactions: 'GitHub Actions',
};

// Distribution purls (deb, apk, rpm) name the distribution in the namespace.
const BY_DISTRO_NAMESPACE: Readonly<Record<string, string>> = {
  'deb/debian': 'Debian',
  'deb/ubuntu': 'Ubuntu',
  'apk/alpine': 'Alpine',
  'apk/wolfi': 'Wolfi',
  'apk/chainguard': 'Chainguard',
  'rpm/redhat': 'Red Hat',
  'rpm/almalinux': 'AlmaLinux',
  'rpm/rocky': 'Rocky Linux',
  'rpm/rocky-linux': 'Rocky Linux',
  'rpm/opensuse': 'openSUSE',
  'rpm/suse': 'SUSE',
  'rpm/mageia': 'Mageia',
  'rpm/photon': 'Photon OS',
  'rpm/openeuler': 'openEuler',
  'rpm/azurelinux': 'Azure Linux',
  'rpm/mariner': 'Azure Linux',
};

// Ecosystems whose OSV name joins namespace and name with "/" (or ":" for Maven).
const JOINED = new Set(['npm', 'golang', 'composer', 'githubactions', 'swift']);

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  sid: 'sid',
};

/** The OSV release suffix a `distro` qualifier implies ("debian-11" → "11", "alpine-3.16.2" → "v3.16"). */
function releaseSuffix(ecosystem: string, distro: string | undefined): string | null {
  if (distro === undefined) return null;
  const d = distro.toLowerCase();
  if (ecosystem === 'Debian') {
    const m = /^(?:debian-)?(\d+)/.exec(d);
    return m ? (m[1] as string) : (DEBIAN_CODENAMES[d.replace(/^debian-/, '')] ?? null);
  }
  if (ecosystem === 'Alpine') {
    const m = /^(?:alpine-)?v?(\d+\.\d+)/.exec(d);
    return m ? `v${m[1] as string}` : null;
  }
  return null;
}

function osvName(type: string, namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  if (type === 'maven') return `${namespace}:${name}`;
  return JOINED.has(type) ? `${namespace}/${name}` : name;
}

/** Parses a purl; an invalid one is a returned reason, not an exception. */
export function parsePurl(text: string): PurlParseResult {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(text.trim());
  } catch (error) {
    return { ok: false, reason: `invalid purl ${JSON.stringify(text)}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const base = BY_TYPE[p.type] ?? BY_DISTRO_NAMESPACE[`${p.type}/${(p.namespace ?? '').toLowerCase()}`] ?? null;
  const qualifiers = p.qualifiers ?? {};
  const release = base === null ? null : releaseSuffix(base, qualifiers['distro']);
  return {
    ok: true,
    value: {
      purl: p.toString(),
      type: p.type,
      ecosystem: base === null ? null : release === null ? base : `${base}:${release}`,
      name: osvName(p.type, p.namespace, p.name),
      version: p.version ?? null,
      qualifiers,
    },
  };
}

/** The canonical form of a purl, or null when it is not a valid purl. */
export function canonicalPurl(text: string): string | null {
  const r = parsePurl(text);
  return r.ok ? r.value.purl : null;
}

// The first purl spelling listed for an ecosystem is the one we write.
const TYPE_BY_ECOSYSTEM = new Map<string, { type: string; namespace?: string }>();
for (const [type, eco] of Object.entries(BY_TYPE)) TYPE_BY_ECOSYSTEM.set(eco, { type });
for (const [key, eco] of Object.entries(BY_DISTRO_NAMESPACE)) {
  const [type = '', namespace = ''] = key.split('/');
  if (!TYPE_BY_ECOSYSTEM.has(eco)) TYPE_BY_ECOSYSTEM.set(eco, { type, namespace });
}

/**
 * The purl for an OSV package (the reverse of {@link parsePurl}), e.g. ("Maven", "org.x:lib", "1.0") →
 * "pkg:maven/org.x/lib@1.0". Null when the ecosystem has no purl type or the name does not fit it.
 */
export function purlForPackage(ecosystem: string, name: string, version?: string): string | null {
  const target = TYPE_BY_ECOSYSTEM.get(parseEcosystem(ecosystem).base);
  if (!target) return null;
  let namespace = target.namespace;
  let local = name;
  if (target.type === 'maven' || JOINED.has(target.type)) {
    const cut = target.type === 'maven' ? name.indexOf(':') : name.lastIndexOf('/');
    if (cut > 0) {
      namespace = name.slice(0, cut);
      local = name.slice(cut + 1);
    } else if (target.type === 'maven') {
      return null;
    }
  }
  try {
    return new PackageURL(target.type, namespace, local, version ?? undefined).toString();
  } catch {
    return null;
  }
}

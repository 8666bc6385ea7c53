import { parseEcosystem } from './ecosystem.js';

/**
 * Package names as each ecosystem identifies them, so "Django_REST" and "django-rest" (PyPI), or
 * "Serde" and "serde" (crates.io), land on the same key while Go module paths keep their case.
 */

function pep503(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

const RULES: Readonly<Record<string, (name: string) => string>> = {
  // PEP 503: runs of "-", "_", "." are one "-", case-insensitive.
  PyPI: pep503,
  // crates.io refuses a new crate whose name differs from an existing one only by case or by "-" vs "_".
  'crates.io': (n) => n.toLowerCase().replace(/-/g, '_'),
  // NuGet package ids and Composer names are case-insensitive.
  NuGet: (n) => n.toLowerCase(),
  Packagist: (n) => n.toLowerCase(),
  // Maven coordinates are case-sensitive; only the spacing around "group:artifact" is noise.
  Maven: (n) =>
    n
      .split(':')
      .map((p) => p.trim())
      .join(':'),
  // Go module paths are case-sensitive (the module proxy escapes capitals as "!x"): keep them as written,
  // without a trailing slash.
  Go: (n) => n.replace(/\/+$/, ''),
  // Debian policy and apk require lower-case names; tools sometimes print them otherwise.
  Debian: (n) => n.toLowerCase(),
  Ubuntu: (n) => n.toLowerCase(),
  Alpine: (n) => n.toLowerCase(),
  Hex: (n) => n.toLowerCase(),
  Pub: (n) => n.toLowerCase(),
};

/**
 * The name an ecosystem considers canonical: PyPI by PEP 503; crates.io lower-case with "-" as "_";
 * NuGet, Packagist, Debian, Ubuntu, Alpine, Hex, Pub lower-case; Maven `group:artifact` trimmed;
 * Go, npm, RubyGems, RPM and unknown ecosystems as written (trimmed). Never throws.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  const rule = RULES[parseEcosystem(ecosystem).base];
  const trimmed = name.trim();
  return rule ? rule(trimmed) : trimmed;
}

/**
 * The identity of a package across advisories and inventories: the ecosystem's base name (release
 * suffix dropped, spelling canonical) and the normalized name. Used as the match-index key.
 */
export function packageKey(ecosystem: string, name: string): string {
  return `${parseEcosystem(ecosystem).base}\u0000${normalizePackageName(ecosystem, name)}`;
}

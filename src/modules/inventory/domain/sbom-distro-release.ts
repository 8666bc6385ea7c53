import { distroEcosystemOf, parsePurl } from '../../../platform/software/index.js';
import { parseEcosystem } from './ecosystem.js';
import type { ComponentIdentity, ParsedSbom, SbomComponent } from './sbom-model.js';

/**
 * Distribution releases an SBOM names outside the purls: a CycloneDX `operating-system` component (or
 * metadata.component of that type), an SPDX 2.3 package whose purpose is OPERATING-SYSTEM, an SPDX 3.0
 * package whose purpose is operatingSystem — by name and version, its CPE, or its purl's `distro`
 * qualifier — and the `distro` qualifiers the document's other distribution packages carry. A deb, apk or
 * rpm component without a `distro` qualifier of its own is read in the release of its distribution when
 * the document names exactly one, so it matches that release's advisories and never another's. When
 * the document names several releases of the same distribution, such components stay release-less (a
 * match is then "maybe") and a warning says why.
 */

const DISTRIBUTION_TYPES = ['pkg:deb/', 'pkg:apk/', 'pkg:rpm/'];

const isOperatingSystem = (c: SbomComponent): boolean =>
  c.type !== null && c.type.toLowerCase().replace(/[^a-z]/g, '') === 'operatingsystem';

/** The release an operating-system entry names, as a full OSV ecosystem ("Debian:12"), or null. */
function releaseOfOperatingSystem(c: SbomComponent): string | null {
  const fromPurl = c.purl === null ? null : parsePurl(c.purl);
  if (fromPurl?.ok && fromPurl.value.ecosystem?.includes(':')) return fromPurl.value.ecosystem;
  return distroEcosystemOf(c.name, c.version, c.cpe);
}

type PurlIdentity = Extract<ComponentIdentity, { kind: 'purl' }> & { readonly ecosystem: string };

/** The identity of a deb, apk or rpm component with an OSV ecosystem, or null. */
function distributionIdentity(c: SbomComponent): PurlIdentity | null {
  const id = c.identity;
  if (id === null || id.kind !== 'purl' || id.ecosystem === null) return null;
  return DISTRIBUTION_TYPES.some((t) => id.purl.startsWith(t)) ? { ...id, ecosystem: id.ecosystem } : null;
}

/** A release-less deb/apk/rpm component's ecosystem base, or null for any other component. */
function releaseLessBase(c: SbomComponent): string | null {
  const id = distributionIdentity(c);
  if (id === null) return null;
  const e = parseEcosystem(id.ecosystem);
  return e.suffix === null ? e.base : null;
}

/** Every release the document names, by ecosystem base: "Ubuntu" → {"Ubuntu:22.04:LTS"}. */
export function distroReleasesOf(components: readonly SbomComponent[]): ReadonlyMap<string, ReadonlySet<string>> {
  const releases = new Map<string, Set<string>>();
  const note = (ecosystem: string | null): void => {
    if (ecosystem === null) return;
    const { base, suffix } = parseEcosystem(ecosystem);
    if (suffix === null) return;
    const set = releases.get(base) ?? new Set<string>();
    set.add(ecosystem);
    releases.set(base, set);
  };
  for (const c of components) {
    note(isOperatingSystem(c) ? releaseOfOperatingSystem(c) : (distributionIdentity(c)?.ecosystem ?? null));
  }
  return releases;
}

/** The SBOM with release-less distribution components read in the one release the document names. */
export function withDistroReleases(sbom: ParsedSbom): ParsedSbom {
  const pending = new Map<string, number>();
  for (const c of sbom.components) {
    const base = releaseLessBase(c);
    if (base !== null) pending.set(base, (pending.get(base) ?? 0) + 1);
  }
  if (pending.size === 0) return sbom;
  const releases = distroReleasesOf(sbom.components);
  const chosen = new Map<string, string>();
  const warnings = [...sbom.warnings];
  for (const [base, count] of pending) {
    const named = [...(releases.get(base) ?? [])].sort();
    if (named.length === 1) {
      chosen.set(base, named[0] as string);
      warnings.push(`${count} ${base} package(s) without a distro qualifier read as ${named[0] as string}, the release the document names`);
    } else if (named.length > 1) {
      warnings.push(
        `${count} ${base} package(s) without a distro qualifier are matched against every ${base} release: the document names ${named.join(', ')}`,
      );
    }
  }
  if (chosen.size === 0) return { ...sbom, warnings };
  const components = sbom.components.map((c) => {
    const base = releaseLessBase(c);
    const ecosystem = base === null ? undefined : chosen.get(base);
    return ecosystem === undefined || c.identity?.kind !== 'purl' ? c : { ...c, identity: { ...c.identity, ecosystem } };
  });
  return { ...sbom, components, warnings };
}

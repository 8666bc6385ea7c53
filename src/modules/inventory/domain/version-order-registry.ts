import { parseEcosystem } from './ecosystem.js';
import type { VersionOrder } from './version-order.js';
import { alpineOrder } from './version-order-alpine.js';
import { debianOrder } from './version-order-debian.js';
import { genericOrder } from './version-order-generic.js';
import { goOrder } from './version-order-go.js';
import { mavenOrder } from './version-order-maven.js';
import { nugetOrder } from './version-order-nuget.js';
import { pypiOrder } from './version-order-pypi.js';
import { rpmOrder } from './version-order-rpm.js';
import { rubyGemsOrder } from './version-order-rubygems.js';
import { cratesOrder, npmOrder } from './version-order-semver.js';

/**
 * Picks the version order by OSV ecosystem name — never by range type: a range in a "PyPI" advisory is
 * compared by PEP 440 even when it is labelled SEMVER.
 */
const ORDERS: ReadonlyMap<string, VersionOrder> = new Map<string, VersionOrder>([
  ['npm', npmOrder],
  ['crates.io', cratesOrder],
  // Hex (Elixir's Version) and SwiftURL tags are SemVer 2.0 by their ecosystems' definitions.
  ['Hex', cratesOrder],
  ['SwiftURL', npmOrder],
  ['Go', goOrder],
  // Kubernetes names Go modules; its versions are Go module versions.
  ['Kubernetes', goOrder],
  ['PyPI', pypiOrder],
  ['Maven', mavenOrder],
  ['RubyGems', rubyGemsOrder],
  ['NuGet', nugetOrder],
  ['Debian', debianOrder],
  ['Ubuntu', debianOrder],
  ['Alpine', alpineOrder],
  ['Wolfi', alpineOrder],
  ['Chainguard', alpineOrder],
  ['Red Hat', rpmOrder],
  ['AlmaLinux', rpmOrder],
  ['Rocky Linux', rpmOrder],
  ['SUSE', rpmOrder],
  ['openSUSE', rpmOrder],
  ['Mageia', rpmOrder],
  ['Photon OS', rpmOrder],
  ['openEuler', rpmOrder],
  ['Azure Linux', rpmOrder],
]);

/**
 * The version order for an OSV ecosystem string (suffix allowed: "Debian:11", "Alpine:v3.16"; spelling
 * case-insensitive). Unknown ecosystems get the generic order, whose `exact` is false. Never throws.
 */
export function versionOrderFor(ecosystem: string): VersionOrder {
  return ORDERS.get(parseEcosystem(ecosystem).base) ?? genericOrder;
}

/** Whether the ecosystem has an exact order here (false means the generic fallback applies). */
export function hasExactVersionOrder(ecosystem: string): boolean {
  return ORDERS.has(parseEcosystem(ecosystem).base);
}

/** Compares two versions in an ecosystem (-1, 0, 1). Never throws; see VersionOrder.compare. */
export function compareVersions(ecosystem: string, a: string, b: string): number {
  return versionOrderFor(ecosystem).compare(a, b);
}

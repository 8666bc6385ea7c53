import { OSV_ECOSYSTEMS, parseEcosystem, type OsvEcosystemName } from './ecosystem.js';
import type { VersionOrder } from './version-order.js';
import { alpineOrder } from './version-order-alpine.js';
import { cranOrder } from './version-order-cran.js';
import { debianOrder } from './version-order-debian.js';
import { freeBsdOrder } from './version-order-freebsd.js';
import { goOrder } from './version-order-go.js';
import { hackageOrder } from './version-order-hackage.js';
import { mavenOrder } from './version-order-maven.js';
import { nugetOrder } from './version-order-nuget.js';
import { opamOrder } from './version-order-opam.js';
import { packagistOrder } from './version-order-packagist.js';
import { pubOrder } from './version-order-pub.js';
import { pypiOrder } from './version-order-pypi.js';
import { rpmOrder } from './version-order-rpm.js';
import { rubyGemsOrder } from './version-order-rubygems.js';
import { cratesOrder, npmOrder, semverLikeOrder } from './version-order-semver.js';
import { unknownOrder } from './version-order-unknown.js';

/**
 * The version order of every ecosystem the OSV schema lists (ecosystems.json), picked by ecosystem name —
 * never by range type: a range in a "PyPI" advisory is compared by PEP 440 even when labelled SEMVER.
 * Ecosystems without a defined order get {@link unknownOrder}, explicitly: their ranges are "unknown".
 */
const ORDERS: Readonly<Record<OsvEcosystemName, VersionOrder>> = {
  npm: npmOrder,
  'crates.io': cratesOrder,
  Go: goOrder,
  // Kubernetes names Go modules; its versions are Go module versions.
  Kubernetes: goOrder,
  PyPI: pypiOrder,
  Maven: mavenOrder,
  RubyGems: rubyGemsOrder,
  NuGet: nugetOrder,
  Packagist: packagistOrder,
  Pub: pubOrder,
  Hackage: hackageOrder,
  CRAN: cranOrder,
  // Bioconductor packages are R packages: R's package_version (OSV's tooling reads them SemVer-like, which
  // agrees on every x.y.z but refuses R's "1.2-3").
  Bioconductor: cranOrder,
  // Tags that are SemVer or SemVer-like, as OSV's tooling reads them.
  Hex: semverLikeOrder,
  SwiftURL: semverLikeOrder,
  'GitHub Actions': semverLikeOrder,
  Bitnami: semverLikeOrder,
  ConanCenter: semverLikeOrder,
  GHC: semverLikeOrder,
  Julia: semverLikeOrder,
  'Docker Hardened Images': semverLikeOrder,
  VSCode: semverLikeOrder,
  Debian: debianOrder,
  Ubuntu: debianOrder,
  Alpine: alpineOrder,
  Alpaquita: alpineOrder,
  'BellSoft Hardened Containers': alpineOrder,
  Wolfi: alpineOrder,
  Chainguard: alpineOrder,
  MinimOS: alpineOrder,
  'Red Hat': rpmOrder,
  AlmaLinux: rpmOrder,
  'Rocky Linux': rpmOrder,
  SUSE: rpmOrder,
  openSUSE: rpmOrder,
  Mageia: rpmOrder,
  'Photon OS': rpmOrder,
  openEuler: rpmOrder,
  'Azure Linux': rpmOrder,
  // pkg(8)'s order for ports ("FreeBSD:ports"); base-system strings such as "14.3-RELEASE-p2" are refused
  // by it, so ranges over them are "unknown".
  FreeBSD: freeBsdOrder,
  opam: opamOrder,
  // No order defined here: GIT ranges or listed versions only (Android, Linux, OSS-Fuzz), or distributions
  // whose base varies (CleanStart, Echo, Root, TuxCare).
  Android: unknownOrder,
  Linux: unknownOrder,
  'OSS-Fuzz': unknownOrder,
  CleanStart: unknownOrder,
  Echo: unknownOrder,
  Root: unknownOrder,
  TuxCare: unknownOrder,
};

const BY_NAME = new Map<string, VersionOrder>(OSV_ECOSYSTEMS.map((e) => [e, ORDERS[e]]));

/**
 * The version order for an OSV ecosystem string (suffix allowed: "Debian:11", "Alpine:v3.16"; spelling
 * case-insensitive). An ecosystem without an order, listed or not, gets {@link unknownOrder}. Never throws.
 */
export function versionOrderFor(ecosystem: string): VersionOrder {
  return BY_NAME.get(parseEcosystem(ecosystem).base) ?? unknownOrder;
}

/** Whether the ecosystem has an exact order here (false: its ranges evaluate to "unknown"). */
export function hasExactVersionOrder(ecosystem: string): boolean {
  return versionOrderFor(ecosystem).exact;
}

/** Compares two versions in an ecosystem (-1, 0, 1). Never throws; see VersionOrder.compare. */
export function compareVersions(ecosystem: string, a: string, b: string): number {
  return versionOrderFor(ecosystem).compare(a, b);
}

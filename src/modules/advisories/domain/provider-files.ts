import { createHash } from 'node:crypto';
import type { AdvisoryCategory } from './advisory-source.js';

/**
 * The files of a CSAF trusted provider (CSAF 2.0 §7.1), from the list of published documents: the
 * provider metadata (requirement 7, role `csaf_trusted_provider`), per TLP a directory with one folder per
 * year (11), `index.txt` (12), `changes.csv` newest first (13) and a ROLIE feed (15), a `.sha256` and
 * `.sha512` beside every document (18) and its `.asc` signature (19), the public OpenPGP key (20), and
 * `security.txt` with a `CSAF:` line (8). URLs are absolute, from the configured public base URL.
 */

export const CSAF_TLP_LABELS = ['WHITE', 'GREEN', 'AMBER', 'RED'] as const;
export type CsafTlpLabel = (typeof CSAF_TLP_LABELS)[number];

/** Where the provider lives below the server's base URL. */
export const PROVIDER_ROOT = '/.well-known/csaf';

/** The directory of one TLP label, e.g. `/.well-known/csaf/white`. */
export function tlpDirectory(label: CsafTlpLabel): string {
  return `${PROVIDER_ROOT}/${label.toLowerCase()}`;
}

/** The label of a directory name (`white` → WHITE), or null. */
export function labelOfDirectory(name: string): CsafTlpLabel | null {
  const upper = name.toUpperCase();
  return (CSAF_TLP_LABELS as readonly string[]).includes(upper) ? (upper as CsafTlpLabel) : null;
}

/** A published document as the provider lists it. */
export interface ProviderEntry {
  readonly trackingId: string;
  readonly title: string;
  readonly category: AdvisoryCategory;
  readonly label: CsafTlpLabel;
  /** Path below the TLP directory: `2026/ch-2026-0001.json` (the year of the initial release). */
  readonly path: string;
  readonly initialReleaseDate: string;
  readonly currentReleaseDate: string;
  readonly summary: string;
}

/** `YYYY/<file name>` of a document: the folder is the year of its initial release date (requirement 11). */
export function documentPath(initialReleaseDate: string, fileName: string): string {
  return `${initialReleaseDate.slice(0, 4)}/${fileName}`;
}

/** `index.txt`: every document's path, one a line (requirement 12). */
export function indexTxt(entries: readonly ProviderEntry[]): string {
  return entries.map((e) => `${e.path}\n`).join('');
}

/** `changes.csv`: path and last change, newest first (requirement 13), quoted as the standard shows. */
export function changesCsv(entries: readonly ProviderEntry[]): string {
  return [...entries]
    .sort((a, b) =>
      a.currentReleaseDate < b.currentReleaseDate ? 1 : a.currentReleaseDate > b.currentReleaseDate ? -1 : a.path.localeCompare(b.path),
    )
    .map((e) => `"${e.path.replace(/"/g, '""')}","${e.currentReleaseDate}"\n`)
    .join('');
}

/** The ROLIE feed of one TLP label (requirement 15; RFC 8322). */
export function rolieFeed(
  baseUrl: string,
  label: CsafTlpLabel,
  entries: readonly ProviderEntry[],
  updated: string,
): Record<string, unknown> {
  const directory = `${baseUrl}${tlpDirectory(label)}`;
  return {
    feed: {
      id: `clearinghouse-csaf-feed-tlp-${label.toLowerCase()}`,
      title: `Clearinghouse CSAF feed (TLP:${label})`,
      link: [{ rel: 'self', href: `${baseUrl}${PROVIDER_ROOT}/feed-tlp-${label.toLowerCase()}.json` }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated,
      entry: [...entries]
        .sort((a, b) => (a.currentReleaseDate < b.currentReleaseDate ? 1 : -1))
        .map((e) => {
          const url = `${directory}/${e.path}`;
          return {
            id: e.trackingId,
            title: e.title,
            link: [
              { rel: 'self', href: url },
              { rel: 'hash', href: `${url}.sha256` },
              { rel: 'hash', href: `${url}.sha512` },
              { rel: 'signature', href: `${url}.asc` },
            ],
            published: e.initialReleaseDate,
            updated: e.currentReleaseDate,
            summary: { content: e.summary },
            content: { type: 'application/json', src: url },
            format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
          };
        }),
    },
  };
}

export interface ProviderIdentity {
  readonly baseUrl: string;
  readonly publisher: { readonly name: string; readonly namespace: string; readonly contactDetails: string | null };
  /** Fingerprints of the signing keys whose signatures the provider serves. */
  readonly keyFingerprints: readonly string[];
}

/** The public key's URL: `/.well-known/csaf/openpgp/<FINGERPRINT>.asc`. */
export function publicKeyPath(fingerprint: string): string {
  return `${PROVIDER_ROOT}/openpgp/${fingerprint.toUpperCase()}.asc`;
}

/** `provider-metadata.json` (requirement 7), naming a directory and a ROLIE feed for every label in use. */
export function providerMetadata(
  identity: ProviderIdentity,
  labels: readonly CsafTlpLabel[],
  lastUpdated: string,
): Record<string, unknown> {
  const base = identity.baseUrl;
  return {
    canonical_url: `${base}${PROVIDER_ROOT}/provider-metadata.json`,
    distributions: labels.map((label) => ({
      directory_url: `${base}${tlpDirectory(label)}/`,
      rolie: {
        feeds: [
          {
            summary: `All TLP:${label} advisories of ${identity.publisher.name}.`,
            tlp_label: label,
            url: `${base}${PROVIDER_ROOT}/feed-tlp-${label.toLowerCase()}.json`,
          },
        ],
      },
    })),
    last_updated: lastUpdated,
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: identity.keyFingerprints.map((fingerprint) => ({
      fingerprint: fingerprint.toUpperCase(),
      url: `${base}${publicKeyPath(fingerprint)}`,
    })),
    publisher: {
      category: 'coordinator',
      name: identity.publisher.name,
      namespace: identity.publisher.namespace,
      ...(identity.publisher.contactDetails === null ? {} : { contact_details: identity.publisher.contactDetails }),
    },
    role: 'csaf_trusted_provider',
  };
}

/**
 * `/.well-known/security.txt` (RFC 9116) with the `CSAF:` field CSAF §7.1.8 adds. `Expires` is required and
 * should lie less than a year ahead.
 */
export function securityTxt(baseUrl: string, contact: string, expires: string): string {
  const contactUri = /^(mailto:|https?:|tel:)/.test(contact) ? contact : `mailto:${contact}`;
  return [
    `Contact: ${contactUri}`,
    `Expires: ${expires}`,
    `CSAF: ${baseUrl}${PROVIDER_ROOT}/provider-metadata.json`,
    `Canonical: ${baseUrl}/.well-known/security.txt`,
    '',
  ].join('\n');
}

/** The `.sha256` / `.sha512` file of a document: the digest and the file name, as `sha256sum` writes them. */
export function hashFile(algorithm: 'sha256' | 'sha512', bytes: Uint8Array, fileName: string): string {
  return `${createHash(algorithm).update(bytes).digest('hex')}  ${fileName}\n`;
}

import type { ServiceContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/errors.js';
import type { AdvisoryCategory } from '../domain/advisory-source.js';
import { csafFileName } from '../domain/csaf-document.js';
import {
  CSAF_TLP_LABELS,
  changesCsv,
  documentPath,
  hashFile,
  indexTxt,
  labelOfDirectory,
  providerMetadata,
  publicKeyPath,
  rolieFeed,
  securityTxt,
  type CsafTlpLabel,
  type ProviderEntry,
} from '../domain/provider-files.js';
import { draftsLabelled, publishedAdvisories } from '../store/advisories.js';
import { readable, type ProviderSettings } from './advisories.js';
import { csafSigner } from './signing-key.js';

/**
 * The CSAF trusted provider (CSAF 2.0 §7.1) over the stored advisories. TLP:WHITE (CLEAR) holds the
 * published documents, served to anyone. TLP:AMBER and TLP:RED hold the drafts of embargoed cases, served
 * only to authenticated readers entitled to them (the case's participants, the coordinators): to anyone
 * else the directory, its files and its feed do not exist (404). Hashes and signatures of published
 * documents are the stored ones; those of drafts are made when asked, with the same key.
 */

/** The labels the provider serves: published documents are WHITE, drafts AMBER or RED. */
export const SERVED_LABELS: readonly CsafTlpLabel[] = ['WHITE', 'AMBER', 'RED'];

interface Listed {
  readonly entry: ProviderEntry;
  /** The stored files, by suffix; a draft has only its document. */
  readonly files: { readonly document: string; readonly sha256?: string; readonly sha512?: string; readonly asc?: string };
}

/** The label of a directory name the provider serves, or NotFoundError. */
export function servedLabel(directory: string): CsafTlpLabel {
  const label = labelOfDirectory(directory);
  if (label === null || !SERVED_LABELS.includes(label) || directory !== directory.toLowerCase())
    throw new NotFoundError(`no CSAF directory ${directory}`);
  return label;
}

async function listed(ctx: ServiceContext, label: CsafTlpLabel): Promise<Listed[]> {
  if (label === 'WHITE')
    return (await publishedAdvisories(ctx.db.kysely)).map((row) => ({
      entry: {
        trackingId: row.tracking_id,
        title: row.title,
        category: row.category as AdvisoryCategory,
        label,
        path: row.path!,
        initialReleaseDate: row.published_at!,
        currentReleaseDate: row.current_release_at!,
        summary: row.revision.summary,
      },
      files: {
        document: row.revision.document_sha256,
        sha256: row.revision.sha256_file,
        sha512: row.revision.sha512_file,
        asc: row.revision.asc_file,
      },
    }));
  if (ctx.actor.kind !== 'user' && ctx.actor.kind !== 'system') throw new NotFoundError(`no CSAF directory ${label.toLowerCase()}`);
  const drafts = await draftsLabelled(ctx.db.kysely, label, readable(ctx));
  return drafts.map((row) => ({
    entry: {
      trackingId: row.tracking_id,
      title: row.title,
      category: row.category as AdvisoryCategory,
      label,
      path: documentPath(row.updated_at, csafFileName(row.tracking_id)),
      initialReleaseDate: row.updated_at,
      currentReleaseDate: row.updated_at,
      summary: 'Draft for the participants of the case, under embargo.',
    },
    files: { document: row.draft_sha256 },
  }));
}

/** `index.txt` of a directory. */
export async function providerIndex(ctx: ServiceContext, directory: string): Promise<string> {
  return indexTxt((await listed(ctx, servedLabel(directory))).map((l) => l.entry));
}

/** `changes.csv` of a directory, newest first. */
export async function providerChanges(ctx: ServiceContext, directory: string): Promise<string> {
  return changesCsv((await listed(ctx, servedLabel(directory))).map((l) => l.entry));
}

/** The ROLIE feed of a label (`feed-tlp-white.json`). */
export async function providerFeed(ctx: ServiceContext, name: string, settings: ProviderSettings): Promise<Record<string, unknown>> {
  const match = /^feed-tlp-([a-z]+)\.json$/.exec(name);
  if (match === null) throw new NotFoundError(`no CSAF file ${name}`);
  const label = servedLabel(match[1]!);
  const entries = (await listed(ctx, label)).map((l) => l.entry);
  const updated =
    entries
      .map((e) => e.currentReleaseDate)
      .sort()
      .at(-1) ?? ctx.clock.now().toISOString();
  return rolieFeed(settings.baseUrl, label, entries, updated);
}

/**
 * A file of a directory: `YYYY/<name>.json` and its `.sha256`, `.sha512` and `.asc`.
 * @throws NotFoundError for anything else, and for what the reader may not read.
 */
export async function providerFile(
  ctx: ServiceContext,
  directory: string,
  year: string,
  file: string,
  settings: ProviderSettings,
): Promise<{ bytes: Buffer; contentType: string }> {
  const label = servedLabel(directory);
  const suffix = /\.json(\.sha256|\.sha512|\.asc)?$/.exec(file);
  const documentName = suffix === null ? null : file.slice(0, file.length - (suffix[1]?.length ?? 0));
  const found = documentName === null ? undefined : (await listed(ctx, label)).find((l) => l.entry.path === `${year}/${documentName}`);
  const bytes = found === undefined ? null : await ctx.blobs.get(found.files.document);
  if (found === undefined || bytes === null || documentName === null) throw new NotFoundError(`no CSAF file ${directory}/${year}/${file}`);
  const stored = async (sha: string | undefined, make: () => Promise<string> | string): Promise<Buffer> =>
    (sha === undefined ? null : await ctx.blobs.get(sha)) ?? Buffer.from(await make());
  switch (suffix?.[1]) {
    case '.sha256':
      return { bytes: await stored(found.files.sha256, () => hashFile('sha256', bytes, documentName)), contentType: 'text/plain' };
    case '.sha512':
      return { bytes: await stored(found.files.sha512, () => hashFile('sha512', bytes, documentName)), contentType: 'text/plain' };
    case '.asc':
      return {
        bytes: await stored(found.files.asc, async () => (await csafSigner(settings.keyFile, ctx.clock.now())).sign(bytes)),
        contentType: 'application/pgp-signature',
      };
    default:
      return { bytes, contentType: 'application/json' };
  }
}

/** `provider-metadata.json`, naming every served label's directory and feed and the signing key. */
export async function providerMetadataOf(ctx: ServiceContext, settings: ProviderSettings): Promise<Record<string, unknown>> {
  const signer = await csafSigner(settings.keyFile, ctx.clock.now());
  const latest = (await publishedAdvisories(ctx.db.kysely))[0]?.current_release_at;
  return providerMetadata(
    { baseUrl: settings.baseUrl, publisher: settings.publisher, keyFingerprints: [signer.fingerprint] },
    CSAF_TLP_LABELS.filter((l) => SERVED_LABELS.includes(l)),
    latest ?? ctx.clock.now().toISOString(),
  );
}

/** The armored public key of `/.well-known/csaf/openpgp/<FINGERPRINT>.asc`. */
export async function providerPublicKey(ctx: ServiceContext, file: string, settings: ProviderSettings): Promise<string> {
  const signer = await csafSigner(settings.keyFile, ctx.clock.now());
  if (`/.well-known/csaf/openpgp/${file}` !== publicKeyPath(signer.fingerprint)) throw new NotFoundError(`no key ${file}`);
  return signer.publicKey;
}

/** `/.well-known/security.txt`, expiring half a year ahead. */
export function providerSecurityTxt(ctx: ServiceContext, settings: ProviderSettings): string {
  const expires = new Date(ctx.clock.now().getTime() + 182 * 24 * 3600 * 1000).toISOString();
  return securityTxt(
    settings.baseUrl,
    settings.publisher.contactDetails ?? `${settings.baseUrl}/.well-known/csaf/provider-metadata.json`,
    expires,
  );
}

import type { ServiceContext } from '../../../platform/context.js';
import { AuthenticationError, InputError, NotFoundError } from '../../../platform/errors.js';
import { TLP_LABELS, type Tlp } from '../../../platform/tlp.js';
import { stixObjects } from '../domain/sharing/stix-bundle.js';
import { tlpMarkingDefinition, tlpMarkingId } from '../domain/sharing/tlp-markings.js';
import {
  apiRoot,
  collectionPage,
  collectionTlp,
  discovery,
  envelope,
  manifest,
  readObjectsQuery,
  tlpCollection,
  versions,
  type CollectionEntry,
  type Page,
  type TaxiiCollection,
} from '../domain/sharing/taxii.js';
import { PRODUCER, recordsFor } from './shared-records.js';

/**
 * The read-only TAXII 2.1 server over the data exports share: one API root, one collection per TLP label,
 * each holding the vulnerabilities and notes of that label the caller may see (computed as the caller, by
 * the one access policy), the label's marking definition, and — in TLP:CLEAR — the clearinghouse's identity.
 * Anonymous callers read TLP:CLEAR only.
 */

export const TAXII_API_ROOT_PATH = '/taxii2/api/';
/** The largest body the API root would accept; it accepts none (read-only), but TAXII requires the field. */
export const TAXII_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

export function taxiiDiscovery(baseUrl: string) {
  return discovery({
    title: 'Clearinghouse TAXII 2.1',
    description: 'Vulnerabilities shared by the AI cybersecurity clearinghouse, one collection per TLP 2.0 label.',
    apiRoot: new URL(TAXII_API_ROOT_PATH, baseUrl).toString(),
  });
}

export function taxiiApiRoot() {
  return apiRoot({
    title: 'Clearinghouse vulnerabilities',
    description: 'Read-only: vulnerabilities and analyst notes with TLP 2.0 markings.',
    maxContentLength: TAXII_MAX_CONTENT_LENGTH,
  });
}

const readable = (ctx: ServiceContext, tlp: Tlp) => tlp === 'CLEAR' || ctx.actor.kind !== 'anonymous';

export function taxiiCollections(ctx: ServiceContext): { collections: TaxiiCollection[] } {
  return { collections: TLP_LABELS.map((tlp) => tlpCollection(tlp, readable(ctx, tlp))) };
}

/** The collection with this id (or alias); 404 for none, 401 for a closed one asked anonymously. */
export function taxiiCollection(ctx: ServiceContext, id: string): TaxiiCollection {
  const tlp = collectionTlp(id);
  if (tlp === null) throw new NotFoundError(`no collection ${id}`);
  if (!readable(ctx, tlp)) throw new AuthenticationError(`the TLP:${tlp} collection needs a signed-in caller`);
  return tlpCollection(tlp, true);
}

/** Every entry of one collection as the caller may see it. */
async function entries(ctx: ServiceContext, collectionId: string): Promise<CollectionEntry[]> {
  const tlp = collectionTlp(collectionId) as Tlp;
  taxiiCollection(ctx, collectionId);
  const records = await recordsFor(ctx, ctx.actor);
  const marking = tlpMarkingId(tlp);
  const objects = stixObjects(records, PRODUCER).filter((o) => (o.object_marking_refs as string[] | undefined)?.[0] === marking);
  const definition = tlpMarkingDefinition(tlp);
  return [
    { object: definition, dateAdded: definition.created },
    ...objects.map((object) => ({ object, dateAdded: String(object.modified ?? object.created) })),
  ];
}

function query(input: Readonly<Record<string, unknown>>) {
  const read = readObjectsQuery(input);
  if ('issues' in read) throw new InputError(read.issues.map((i) => `${i.pointer}: ${i.detail}`).join('; '), read.issues);
  return read.query;
}

export interface TaxiiAnswer<T> {
  readonly body: T;
  /** For `X-TAXII-Date-Added-First` / `-Last`. */
  readonly dateAddedFirst: string | null;
  readonly dateAddedLast: string | null;
}

function answer<T>(page: Page, body: T): TaxiiAnswer<T> {
  return { body, dateAddedFirst: page.dateAddedFirst, dateAddedLast: page.dateAddedLast };
}

export async function taxiiObjects(ctx: ServiceContext, collectionId: string, input: Readonly<Record<string, unknown>>) {
  const page = collectionPage(await entries(ctx, collectionId), query(input));
  return answer(page, envelope(page));
}

export async function taxiiManifest(ctx: ServiceContext, collectionId: string, input: Readonly<Record<string, unknown>>) {
  const page = collectionPage(await entries(ctx, collectionId), query(input));
  return answer(page, manifest(page));
}

/** One object (every version the collection holds of it); 404 when the caller sees none. */
export async function taxiiObject(ctx: ServiceContext, collectionId: string, objectId: string, input: Readonly<Record<string, unknown>>) {
  const page = collectionPage(await entries(ctx, collectionId), query({ ...input, 'match[id]': objectId }));
  if (page.entries.length === 0 && input.next === undefined) throw new NotFoundError(`no object ${objectId} in this collection`);
  return answer(page, envelope(page));
}

export async function taxiiVersions(ctx: ServiceContext, collectionId: string, objectId: string, input: Readonly<Record<string, unknown>>) {
  const page = collectionPage(await entries(ctx, collectionId), query({ ...input, 'match[id]': objectId }));
  if (page.entries.length === 0 && input.next === undefined) throw new NotFoundError(`no object ${objectId} in this collection`);
  return answer(page, versions(page));
}

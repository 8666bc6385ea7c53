import type { FieldIssue } from '../../../../platform/errors.js';
import { TLP_LABELS, type Tlp } from '../../../../platform/tlp.js';
import { CLEARINGHOUSE_STIX_NAMESPACE, uuidV5 } from './stix-ids.js';

/**
 * TAXII 2.1 (OASIS, 2021) resources for a read-only server: discovery, one API root, one collection per
 * TLP label, objects and manifests with `added_after`, `match[…]` filters and `limit`/`next` pagination.
 * Shapes only; the service decides what the caller may see.
 */

/** TAXII 2.1 §1.6.8: every TAXII resource. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The STIX content a collection holds (TAXII 2.1 §5.2 `media_types`). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

/** Most objects one page carries, whatever `limit` asks (TAXII lets a server return fewer). */
export const TAXII_MAX_PAGE = 500;

/**
 * Whether an `Accept` header admits TAXII 2.1: `application/taxii+json` with `version=2.1` or no version
 * (the latest), or a wildcard. An absent header is taken as acceptance. Otherwise the answer is 406.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
    return version === undefined || version === '2.1';
  });
}

export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly alias: string;
  readonly can_read: boolean;
  readonly can_write: false;
  readonly media_types: readonly string[];
}

const TLP_AUDIENCE: Readonly<Record<Tlp, string>> = {
  CLEAR: 'public: anyone may read it, signed in or not',
  GREEN: 'every member organisation of the clearinghouse',
  AMBER: 'the owning organisation, its recipients and the organisations they serve',
  'AMBER+STRICT': 'the owning organisation and its recipient organisations',
  RED: 'the named recipients only',
};

/** The collection of one TLP label: a fixed id, so clients can keep polling it across restarts. */
export function tlpCollection(tlp: Tlp, canRead: boolean): TaxiiCollection {
  return {
    id: uuidV5(CLEARINGHOUSE_STIX_NAMESPACE, `taxii-collection:${tlp}`),
    title: `TLP:${tlp}`,
    description: `Vulnerabilities and notes labelled TLP:${tlp} that you may see (TLP:${tlp} reaches ${TLP_AUDIENCE[tlp]}).`,
    alias: `tlp-${tlp.toLowerCase().replace('+', '-')}`,
    can_read: canRead,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** The label whose collection has this id or alias; null for none. */
export function collectionTlp(idOrAlias: string): Tlp | null {
  return TLP_LABELS.find((tlp) => tlpCollection(tlp, true).id === idOrAlias || tlpCollection(tlp, true).alias === idOrAlias) ?? null;
}

export function discovery(input: {
  readonly title: string;
  readonly description: string;
  readonly apiRoot: string;
  readonly contact?: string;
}) {
  return {
    title: input.title,
    description: input.description,
    ...(input.contact ? { contact: input.contact } : {}),
    default: input.apiRoot,
    api_roots: [input.apiRoot],
  };
}

export function apiRoot(input: { readonly title: string; readonly description: string; readonly maxContentLength: number }) {
  return { title: input.title, description: input.description, versions: [TAXII_MEDIA_TYPE], max_content_length: input.maxContentLength };
}

/** One stored object as the collection lists it: its STIX object and when it was added. */
export interface CollectionEntry {
  readonly object: {
    readonly id: string;
    readonly type: string;
    readonly spec_version?: string;
    readonly modified?: string;
    readonly created?: string;
  };
  /** When this version was added to the collection (TAXII `date_added`). */
  readonly dateAdded: string;
}

export interface ObjectsQuery {
  readonly addedAfter: string | null;
  readonly limit: number;
  /** Position after which the page starts: `date_added` and id of the last object of the previous page. */
  readonly after: { readonly dateAdded: string; readonly id: string } | null;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly versions: readonly string[];
  readonly specVersions: readonly string[];
}

const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const TYPE = /^[a-z][a-z0-9-]{1,249}$/;
const IDENTIFIER = /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const KNOWN = new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']);

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function encodeNext(entry: { readonly dateAdded: string; readonly id: string }): string {
  return Buffer.from(`${entry.dateAdded}|${entry.id}`, 'utf8').toString('base64url');
}

function decodeNext(token: string): { dateAdded: string; id: string } | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const [dateAdded = '', id = ''] = text.split('|');
  return STIX_TIMESTAMP.test(dateAdded) && IDENTIFIER.test(id) ? { dateAdded, id } : null;
}

/**
 * Reads the query of an objects or manifest request (TAXII 2.1 §3.4–3.5). Returns the query, or the issues
 * (each naming the parameter and the rule) for a 400.
 */
export function readObjectsQuery(query: Readonly<Record<string, unknown>>): { query: ObjectsQuery } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(query)) {
    if (!KNOWN.has(key))
      issues.push({ pointer: `/query/${key}`, detail: `is not a parameter this server knows (${[...KNOWN].join(', ')})` });
  }
  const addedAfter = query.added_after === undefined ? null : String(query.added_after);
  if (addedAfter !== null && (!STIX_TIMESTAMP.test(addedAfter) || Number.isNaN(Date.parse(addedAfter)))) {
    issues.push({ pointer: '/query/added_after', detail: 'must be a timestamp like 2026-06-02T12:00:00.000Z' });
  }
  let limit = TAXII_MAX_PAGE;
  if (query.limit !== undefined) {
    const n = Number(query.limit);
    if (!/^\d+$/.test(String(query.limit)) || n < 1)
      issues.push({ pointer: '/query/limit', detail: 'must be a whole number of at least 1' });
    else limit = Math.min(n, TAXII_MAX_PAGE);
  }
  let after: ObjectsQuery['after'] = null;
  if (query.next !== undefined) {
    after = decodeNext(String(query.next));
    if (after === null) issues.push({ pointer: '/query/next', detail: 'is not a value this server gave in `next`' });
  }
  const ids = list(query['match[id]']);
  ids.forEach((id, i) => IDENTIFIER.test(id) || issues.push({ pointer: `/query/match[id]/${i}`, detail: 'must be a STIX identifier' }));
  const types = list(query['match[type]']);
  types.forEach((t, i) => TYPE.test(t) || issues.push({ pointer: `/query/match[type]/${i}`, detail: 'must be a STIX object type' }));
  const versions = list(query['match[version]']);
  versions.forEach(
    (v, i) =>
      ['first', 'last', 'all'].includes(v) ||
      STIX_TIMESTAMP.test(v) ||
      issues.push({ pointer: `/query/match[version]/${i}`, detail: 'must be first, last, all or a timestamp' }),
  );
  const specVersions = list(query['match[spec_version]']);
  return issues.length > 0 ? { issues } : { query: { addedAfter, limit, after, ids, types, versions, specVersions } };
}

/** `a` before `b` in collection order: by date added, then id. */
function compareEntries(a: { dateAdded: string; id: string }, b: { dateAdded: string; id: string }): number {
  const ta = Date.parse(a.dateAdded);
  const tb = Date.parse(b.dateAdded);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Page {
  readonly entries: readonly CollectionEntry[];
  readonly more: boolean;
  readonly next: string | null;
  /** For the `X-TAXII-Date-Added-First` and `-Last` headers; null on an empty page. */
  readonly dateAddedFirst: string | null;
  readonly dateAddedLast: string | null;
}

/**
 * One page of a collection: the entries after `added_after` (strictly) that match the filters, in date-added
 * order, starting after the `next` position. Each object exists here in one version (its latest), so
 * `match[version]` of first, last or all selects it, and a timestamp selects it when it is that version.
 */
export function collectionPage(entries: readonly CollectionEntry[], query: ObjectsQuery): Page {
  const addedAfter = query.addedAfter === null ? null : Date.parse(query.addedAfter);
  const selected = entries
    .filter((e) => addedAfter === null || Date.parse(e.dateAdded) > addedAfter)
    .filter((e) => query.ids.length === 0 || query.ids.includes(e.object.id))
    .filter((e) => query.types.length === 0 || query.types.includes(e.object.type))
    .filter((e) => query.specVersions.length === 0 || query.specVersions.includes(e.object.spec_version ?? '2.1'))
    .filter((e) => {
      if (query.versions.length === 0) return true;
      const version = e.object.modified ?? e.object.created ?? e.dateAdded;
      return query.versions.some((v) => v === 'first' || v === 'last' || v === 'all' || Date.parse(v) === Date.parse(version));
    })
    .map((e) => ({ e, key: { dateAdded: e.dateAdded, id: e.object.id } }))
    .sort((a, b) => compareEntries(a.key, b.key))
    .filter(({ key }) => query.after === null || compareEntries(key, query.after) > 0);
  const page = selected.slice(0, query.limit);
  const more = selected.length > page.length;
  const last = page[page.length - 1];
  return {
    entries: page.map(({ e }) => e),
    more,
    next: more && last ? encodeNext(last.key) : null,
    dateAddedFirst: page[0]?.e.dateAdded ?? null,
    dateAddedLast: last?.e.dateAdded ?? null,
  };
}

/** The envelope (TAXII 2.1 §3.7) of an objects page. */
export function envelope(page: Page) {
  return { more: page.more, ...(page.next !== null ? { next: page.next } : {}), objects: page.entries.map((e) => e.object) };
}

/** The manifest (TAXII 2.1 §5.3) of a page. */
export function manifest(page: Page) {
  return {
    more: page.more,
    ...(page.next !== null ? { next: page.next } : {}),
    objects: page.entries.map((e) => ({
      id: e.object.id,
      date_added: e.dateAdded,
      version: e.object.modified ?? e.object.created ?? e.dateAdded,
      media_type: STIX_MEDIA_TYPE,
    })),
  };
}

/** The versions resource (TAXII 2.1 §5.8) of one object. */
export function versions(page: Page) {
  return {
    more: page.more,
    ...(page.next !== null ? { next: page.next } : {}),
    versions: page.entries.map((e) => e.object.modified ?? e.object.created ?? e.dateAdded),
  };
}

/** A TAXII error message (TAXII 2.1 §3.6.1). */
export function taxiiError(httpStatus: number, title: string, description: string) {
  return { title, description, http_status: String(httpStatus) };
}

import type { AdvisoryProduct } from './advisory-source.js';

/**
 * The CSAF 2.0 product tree (§3.1.8) of a generated document: `vendor → product_name → product_version`
 * branches for versioned products, `full_product_names` for products a vendor named without a version, and
 * `default_component_of` relationships for components installed on a platform. Product ids are
 * `CSAFPID-0001`… in a stable order, so that regenerating a document names every product alike.
 */

type Json = Record<string, unknown>;

/** A purl (canonical form) with its version replaced: in canonical form `@` appears only before the version. */
export function withPurlVersion(purl: string, version: string): string {
  const end = purl.search(/[?#]/);
  const head = end < 0 ? purl : purl.slice(0, end);
  const tail = end < 0 ? '' : purl.slice(end);
  const at = head.lastIndexOf('@');
  const base = at < 0 ? head : head.slice(0, at);
  return `${base}@${encodeURIComponent(version).replace(/%2B/gi, '+')}${tail}`;
}

function keyOf(p: Omit<AdvisoryProduct, 'vendorKey' | 'platform'> & { vendorKey?: string }): string {
  return JSON.stringify([p.vendorKey ?? '', p.vendor, p.name, p.version, p.purl, p.cpe]);
}

export function productKeyOf(p: AdvisoryProduct): string {
  const platform = p.platform ? keyOf(p.platform) : '';
  return `${keyOf(p)}${platform}`;
}

function displayName(p: Omit<AdvisoryProduct, 'vendorKey' | 'platform'>): string {
  const words = [p.vendor, p.name, p.version ?? ''].filter((w) => w !== '');
  // A vendor whose name starts the product name ("Example Company" / "Example Company ABC") is said once.
  if (words.length > 1 && (words[1] ?? '').startsWith(words[0] ?? '')) words.shift();
  return words.join(' ');
}

function fullProductName(p: Omit<AdvisoryProduct, 'vendorKey' | 'platform'>, id: string): Json {
  const helper: Json = {};
  if (p.purl !== null) helper['purl'] = p.purl;
  if (p.cpe !== null) helper['cpe'] = p.cpe;
  return { name: displayName(p), product_id: id, ...(Object.keys(helper).length > 0 ? { product_identification_helper: helper } : {}) };
}

export interface BuiltProductTree {
  readonly tree: Json;
  /** Product id of each product (by {@link productKeyOf}). */
  readonly idOf: ReadonlyMap<string, string>;
}

/** Builds the tree for every product the document's statements name, each once. */
export function buildProductTree(products: readonly AdvisoryProduct[]): BuiltProductTree {
  const unique = new Map<string, AdvisoryProduct>();
  for (const p of products) unique.set(productKeyOf(p), p);
  const bases = new Map<string, Omit<AdvisoryProduct, 'platform'>>();
  for (const p of unique.values()) {
    const { platform: _platform, ...base } = p;
    bases.set(keyOf(p), base);
    if (p.platform) bases.set(keyOf({ ...p.platform }), { ...p.platform, vendorKey: '' });
  }
  const sorted = [...bases.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const idOf = new Map<string, string>();
  let n = 0;
  const nextId = () => `CSAFPID-${String(++n).padStart(4, '0')}`;
  const baseIds = new Map<string, string>();
  for (const [key] of sorted) baseIds.set(key, nextId());

  const vendors = new Map<string, Map<string, Json[]>>();
  const unversioned: Json[] = [];
  for (const [key, p] of sorted) {
    const id = baseIds.get(key) ?? nextId();
    if (p.version === null) {
      unversioned.push(fullProductName(p, id));
      continue;
    }
    const names = vendors.get(p.vendor) ?? new Map<string, Json[]>();
    const versions = names.get(p.name) ?? [];
    versions.push({ category: 'product_version', name: p.version, product: fullProductName(p, id) });
    names.set(p.name, versions);
    vendors.set(p.vendor, names);
  }
  const branches = [...vendors.entries()].map(([vendor, names]) => ({
    category: 'vendor',
    name: vendor,
    branches: [...names.entries()].map(([name, versions]) => ({ category: 'product_name', name, branches: versions })),
  }));

  const relationships: Json[] = [];
  for (const [key, p] of [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const own = baseIds.get(keyOf(p)) ?? '';
    if (!p.platform) {
      idOf.set(key, own);
      continue;
    }
    const platformId = baseIds.get(keyOf({ ...p.platform })) ?? '';
    const id = nextId();
    idOf.set(key, id);
    relationships.push({
      category: 'default_component_of',
      product_reference: own,
      relates_to_product_reference: platformId,
      full_product_name: { name: `${displayName(p)} as a component of ${displayName(p.platform)}`, product_id: id },
    });
  }
  const tree: Json = {};
  if (branches.length > 0) tree['branches'] = branches;
  if (unversioned.length > 0) tree['full_product_names'] = unversioned;
  if (relationships.length > 0) tree['relationships'] = relationships;
  return { tree, idOf };
}

import type { Tlp } from '../../../platform/tlp.js';
import { scoreCvss } from '../../../platform/cvss/index.js';
import type { AdvisoryProduct, AdvisorySource, AdvisoryStatement, AdvisoryVulnerability } from './advisory-source.js';
import { buildProductTree, productKeyOf, withPurlVersion } from './csaf-product-tree.js';
import { cweName } from './csaf-validation.js';

/**
 * Writes a CSAF 2.0 document — `csaf_security_advisory` or `csaf_vex` — from an {@link AdvisorySource}:
 * the product tree from the statements' products (purls, CPEs, names), per vulnerability the CVE, CWE,
 * notes, CVSS v3 and v2 scores recomputed from their vectors, `product_status` from the statements,
 * remediations (vendor fixes with versions and URLs, workarounds), flags and impact threats for products
 * not affected, an `exploit_status` threat, references and acknowledgments; and the tracking with its
 * revision history. The result is held to the schema and every mandatory test by ./csaf-validation.ts.
 */

type Json = Record<string, unknown>;

/** CSAF 2.0 writes TLP 1.0 labels; TLP 2.0's CLEAR is WHITE, and AMBER+STRICT (unknown to 1.0) is AMBER with a text. */
const CSAF_TLP: Readonly<Record<Tlp, 'WHITE' | 'GREEN' | 'AMBER' | 'RED'>> = {
  CLEAR: 'WHITE',
  GREEN: 'GREEN',
  AMBER: 'AMBER',
  'AMBER+STRICT': 'AMBER',
  RED: 'RED',
};

export function csafTlpLabel(tlp: Tlp): 'WHITE' | 'GREEN' | 'AMBER' | 'RED' {
  return CSAF_TLP[tlp];
}

type CsafStatus = 'under_investigation' | 'known_affected' | 'known_not_affected' | 'fixed';

/** What one vulnerability's statements become, keyed by product. */
class VulnerabilityParts {
  readonly status = new Map<string, CsafStatus>();
  readonly explicit = new Set<string>();
  readonly remediations = new Map<string, { category: string; details: string; url: string | null; products: Set<string> }>();
  readonly flags = new Map<string, Set<string>>();
  readonly impacts = new Map<string, Set<string>>();
  readonly products = new Map<string, AdvisoryProduct>();

  setStatus(product: AdvisoryProduct, status: CsafStatus, explicit: boolean): void {
    const key = productKeyOf(product);
    if (!explicit && this.explicit.has(key)) return;
    if (explicit) this.explicit.add(key);
    this.products.set(key, product);
    this.status.set(key, status);
  }

  remediate(category: string, details: string, url: string | null, products: readonly AdvisoryProduct[]): void {
    const id = JSON.stringify([category, details, url]);
    const entry = this.remediations.get(id) ?? { category, details, url, products: new Set<string>() };
    for (const p of products) entry.products.add(productKeyOf(p));
    this.remediations.set(id, entry);
  }

  add(map: Map<string, Set<string>>, label: string, product: AdvisoryProduct): void {
    const set = map.get(label) ?? new Set<string>();
    set.add(productKeyOf(product));
    map.set(label, set);
  }
}

function applyStatement(parts: VulnerabilityParts, s: AdvisoryStatement): void {
  const p = s.product;
  switch (s.status) {
    case 'under_investigation':
      parts.setStatus(p, 'under_investigation', true);
      return;
    case 'not_affected':
      parts.setStatus(p, 'known_not_affected', true);
      if (s.justification !== null) parts.add(parts.flags, s.justification, p);
      if (s.impactStatement !== null) parts.add(parts.impacts, s.impactStatement, p);
      return;
    case 'affected':
      parts.setStatus(p, 'known_affected', true);
      if (s.actionStatement !== null) parts.remediate('workaround', s.actionStatement, null, [p]);
      else parts.remediate('none_available', 'The vendor has not yet stated a remediation.', null, [p]);
      return;
    case 'fixed': {
      // The product's own version among the fixed ones is the product itself, with its CPE and purl.
      const fixed = s.fixedVersions.map((v) =>
        v === p.version ? p : { ...p, version: v, purl: p.purl === null ? null : withPurlVersion(p.purl, v), cpe: null },
      );
      const itselfFixed = p.version === null || s.fixedVersions.includes(p.version);
      // A versionless product with no fixed versions named is itself the fixed product.
      if (p.version !== null || fixed.length === 0) parts.setStatus(p, itselfFixed ? 'fixed' : 'known_affected', true);
      for (const f of fixed) if (f.version !== p.version) parts.setStatus(f, 'fixed', false);
      const details =
        s.fixText ?? (s.fixedVersions.length > 0 ? `Update to ${s.fixedVersions.join(', ')}.` : 'A fix is available from the vendor.');
      parts.remediate('vendor_fix', details, s.fixUrl, itselfFixed && fixed.length > 0 ? fixed : [p]);
    }
  }
}

function scoreOf(vectors: readonly string[]): Json {
  const out: Json = {};
  for (const vector of vectors) {
    let scores;
    try {
      scores = scoreCvss(vector);
    } catch {
      continue;
    }
    if ((scores.version === '3.0' || scores.version === '3.1') && out['cvss_v3'] === undefined)
      out['cvss_v3'] = {
        version: scores.version,
        vectorString: scores.vector,
        baseScore: scores.base.score,
        baseSeverity: scores.base.severity.toUpperCase(),
      };
    if (scores.version === '2.0' && out['cvss_v2'] === undefined)
      out['cvss_v2'] = { version: '2.0', vectorString: scores.vector, baseScore: scores.base.score };
  }
  return out;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function vulnerabilityJson(
  v: AdvisoryVulnerability,
  parts: VulnerabilityParts,
  idOf: ReadonlyMap<string, string>,
  releaseDate: string | null,
): Json {
  const ids = (keys: Iterable<string>) => [...new Set([...keys].map((k) => idOf.get(k) ?? ''))].filter((id) => id !== '').sort(byText);
  const productStatus: Json = {};
  for (const status of ['fixed', 'known_affected', 'known_not_affected', 'under_investigation'] as const) {
    const list = ids([...parts.status.entries()].filter(([, s]) => s === status).map(([k]) => k));
    if (list.length > 0) productStatus[status] = list;
  }
  const out: Json = {};
  if (v.title !== null) out['title'] = v.title;
  if (v.cve !== null) out['cve'] = v.cve;
  if (v.ids.length > 0) out['ids'] = v.ids.map((i) => ({ system_name: i.systemName, text: i.text }));
  const name = v.cwe === null ? null : cweName(v.cwe);
  if (v.cwe !== null && name !== null) out['cwe'] = { id: v.cwe, name };
  const notes: Json[] = [{ category: 'description', title: 'Vulnerability description', text: v.description }];
  for (const s of v.statements)
    if (s.text !== null) notes.push({ category: 'other', title: `Statement by ${s.product.vendor} on ${s.product.name}`, text: s.text });
  out['notes'] = notes;
  if (v.discoveryDate !== null) out['discovery_date'] = v.discoveryDate;
  if (releaseDate !== null) out['release_date'] = releaseDate;
  out['product_status'] = productStatus;
  const remediations = [...parts.remediations.values()].map((r) => ({
    category: r.category,
    details: r.details,
    product_ids: ids(r.products),
    ...(r.url === null ? {} : { url: r.url }),
  }));
  if (remediations.length > 0) out['remediations'] = remediations;
  const flags = [...parts.flags.entries()].map(([label, keys]) => ({ label, product_ids: ids(keys) }));
  if (flags.length > 0) out['flags'] = flags;
  const threats: Json[] = [...parts.impacts.entries()].map(([details, keys]) => ({ category: 'impact', details, product_ids: ids(keys) }));
  if (v.exploited) threats.push({ category: 'exploit_status', details: 'Exploitation of this vulnerability has been observed.' });
  if (threats.length > 0) out['threats'] = threats;
  const score = scoreOf(v.cvssVectors);
  const affected = [...parts.status.entries()].filter(([, s]) => s === 'known_affected').map(([k]) => k);
  const scored = ids(affected.length > 0 ? affected : parts.status.keys());
  if (Object.keys(score).length > 0 && scored.length > 0) out['scores'] = [{ products: scored, ...score }];
  if (v.references.length > 0) out['references'] = v.references.map((r) => ({ category: 'external', summary: r.summary, url: r.url }));
  const acknowledgments = v.acknowledgments
    .filter((a) => a.names.length > 0 || a.organization !== null)
    .map((a) => ({
      ...(a.names.length > 0 ? { names: [...a.names] } : {}),
      ...(a.organization === null ? {} : { organization: a.organization }),
    }));
  if (acknowledgments.length > 0) out['acknowledgments'] = acknowledgments;
  return out;
}

function tracking(source: AdvisorySource): Json {
  const generator = { date: source.generatedAt, engine: { name: source.engine.name, version: source.engine.version } };
  if (source.status === 'draft') {
    return {
      id: source.trackingId,
      status: 'draft',
      version: '0',
      revision_history: [{ date: source.generatedAt, number: '0', summary: 'Draft for the participants of the case, under embargo.' }],
      initial_release_date: source.generatedAt,
      current_release_date: source.generatedAt,
      generator,
    };
  }
  const revisions = source.revisions;
  const first = revisions[0];
  const last = revisions.at(-1);
  if (first === undefined || last === undefined) throw new Error(`a final CSAF document needs a revision (${source.trackingId})`);
  return {
    id: source.trackingId,
    status: 'final',
    version: last.number,
    revision_history: revisions.map((r) => ({ date: r.date, number: r.number, summary: r.summary })),
    initial_release_date: first.date,
    current_release_date: last.date,
    generator,
  };
}

/**
 * The CSAF document for `source`. A vulnerability's statements decide its products; a vulnerability with
 * none is written with an empty `product_status`, which the mandatory tests refuse — callers publish only
 * vulnerabilities that have statements.
 */
export function csafDocument(source: AdvisorySource): Json {
  const perVulnerability = source.vulnerabilities.map((v) => {
    const parts = new VulnerabilityParts();
    for (const s of v.statements) applyStatement(parts, s);
    return parts;
  });
  const { tree, idOf } = buildProductTree(perVulnerability.flatMap((parts) => [...parts.products.values()]));
  const label = csafTlpLabel(source.tlp);
  const distribution: Json = { tlp: { label, url: 'https://www.first.org/tlp/' } };
  if (source.tlp === 'AMBER+STRICT')
    distribution['text'] = 'TLP:AMBER+STRICT — the recipient organisations only, not the parties they serve.';
  else if (source.status === 'draft')
    distribution['text'] = `TLP:${source.tlp} — embargoed: for the participants of the case only until it is published.`;
  const document: Json = {
    category: source.category,
    csaf_version: '2.0',
    lang: 'en',
    title: source.title,
    publisher: {
      category: 'coordinator',
      name: source.publisher.name,
      namespace: source.publisher.namespace,
      ...(source.publisher.contactDetails === null ? {} : { contact_details: source.publisher.contactDetails }),
    },
    distribution,
    notes: [{ category: 'summary', title: 'Summary', text: source.summary }],
    tracking: tracking(source),
  };
  const references = [
    ...(source.selfUrl === null ? [] : [{ category: 'self', summary: 'The canonical URL of this document.', url: source.selfUrl }]),
    ...source.externalReferences.map((r) => ({ category: 'external', summary: r.summary, url: r.url })),
  ];
  if (references.length > 0) document['references'] = references;
  const releaseDate = source.status === 'final' ? (source.revisions[0]?.date ?? null) : null;
  const out: Json = { document };
  if (Object.keys(tree).length > 0) out['product_tree'] = tree;
  // An informational advisory has no vulnerabilities (CSAF §6.1.27.3).
  if (source.category !== 'csaf_informational_advisory')
    out['vulnerabilities'] = source.vulnerabilities.map((v, i) =>
      vulnerabilityJson(v, perVulnerability[i] ?? new VulnerabilityParts(), idOf, releaseDate),
    );
  return out;
}

/**
 * CSAF §5.1: the file name of a document — its tracking id lower-cased, every character other than
 * `+`, `-`, `a`–`z` and `0`–`9` replaced by `_`, and `.json`.
 */
export function csafFileName(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

import { appendTo } from '../../../platform/collections.js';
import { CsafProductTree, type ResolvedProduct } from '../../intake/pure.js';

/**
 * CycloneDX 1.6 VEX from a CSAF 2.0 document: the same statements the CSAF VEX carries, in the form
 * CycloneDX tools read. Written from the document a reader reads (never from the statements behind it), so
 * the VEX says exactly what that document says to that reader.
 *
 * Each product of the product tree becomes a component (`bom-ref` = its CSAF product id); each CSAF
 * vulnerability becomes one CycloneDX vulnerability per distinct analysis (state, justification, responses,
 * detail), since CycloneDX keeps one analysis per entry (as the CycloneDX VEX guide and CISA's VEX mapping do).
 */

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** CSAF product status (§3.2.3.9) → CycloneDX `analysis.state`; `recommended` states nothing about the flaw. */
const STATE_OF_STATUS: Readonly<Record<string, string>> = {
  known_affected: 'exploitable',
  first_affected: 'exploitable',
  last_affected: 'exploitable',
  known_not_affected: 'not_affected',
  fixed: 'resolved',
  first_fixed: 'resolved',
  under_investigation: 'in_triage',
};

/** CSAF VEX justification flag (§3.2.3.5) → the CycloneDX justification that says the same (CISA's mapping). */
const JUSTIFICATION_OF_FLAG: Readonly<Record<string, string>> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** CSAF remediation category (§3.2.3.12.1) → the CycloneDX response of an affected product. */
const RESPONSE_OF_REMEDIATION: Readonly<Record<string, string>> = {
  vendor_fix: 'update',
  workaround: 'workaround_available',
  mitigation: 'workaround_available',
  no_fix_planned: 'will_not_fix',
  none_available: 'can_not_fix',
};

/**
 * A `urn:uuid:` serial number from a SHA-256 (hex) of the CSAF document: the same document gives the same BOM,
 * every revision and draft its own (RFC 4122 layout, version 5 and variant bits set as for a name-based UUID).
 */
export function serialNumberOf(sha256: string): string {
  const hex = sha256.slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function component(p: ResolvedProduct): Json {
  // A product installed on a platform (a CSAF relationship) is named as the relationship names it.
  const name = p.platform === null ? (p.productName ?? p.name ?? p.id) : (p.name ?? p.id);
  const version = p.platform === null && p.productName !== null ? p.version : null;
  return {
    type: 'application',
    'bom-ref': p.id,
    ...(p.vendor === null ? {} : { publisher: p.vendor }),
    name,
    ...(version === null ? {} : { version }),
    ...(p.cpe === null ? {} : { cpe: p.cpe }),
    ...(p.purl === null ? {} : { purl: p.purl }),
  };
}

/** Product ids → what the entries in `items` (by `product_ids` or `group_ids`) say of them, in document order. */
function byProduct<T>(tree: CsafProductTree, items: unknown, valueOf: (item: Json) => T | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of list(items)) {
    const item = record(i);
    const value = valueOf(item);
    if (value === null) continue;
    for (const id of tree.productIdsOf(item)) appendTo(out, id, value);
  }
  return out;
}

function ratingsOf(vulnerability: Json): Json[] {
  const ratings: Json[] = [];
  const seen = new Set<string>();
  for (const s of list(vulnerability['scores'])) {
    const score = record(s);
    for (const [key, method] of [
      ['cvss_v3', null],
      ['cvss_v2', 'CVSSv2'],
    ] as const) {
      const cvss = record(score[key]);
      const vector = text(cvss['vectorString']);
      if (vector === null || seen.has(vector)) continue;
      seen.add(vector);
      const severity = text(cvss['baseSeverity'])?.toLowerCase();
      ratings.push({
        ...(typeof cvss['baseScore'] === 'number' ? { score: cvss['baseScore'] } : {}),
        ...(severity === undefined ? {} : { severity }),
        method: method ?? (cvss['version'] === '3.1' ? 'CVSSv31' : 'CVSSv3'),
        vector,
      });
    }
  }
  return ratings;
}

function vulnerabilityEntries(
  vulnerability: Json,
  index: number,
  tree: CsafProductTree,
  known: ReadonlySet<string>,
  document: Json,
): Json[] {
  const cve = text(vulnerability['cve']);
  const ids = list(vulnerability['ids']).map(record);
  const id = cve ?? text(ids[0]?.['text']) ?? text(vulnerability['title']) ?? `vulnerability-${index + 1}`;
  const references = ids
    .filter((i) => text(i['text']) !== null && text(i['text']) !== id)
    .map((i) => ({ id: String(i['text']), source: { name: text(i['system_name']) ?? 'unknown' } }));
  const notes = list(vulnerability['notes']).map(record);
  const description = text(notes.find((n) => n['category'] === 'description')?.['text']);
  const cweId = /^CWE-(\d+)$/.exec(text(record(vulnerability['cwe'])['id']) ?? '')?.[1];
  const ratings = ratingsOf(vulnerability);
  const tracking = record(document['tracking']);
  const published = text(vulnerability['release_date']) ?? text(tracking['initial_release_date']);
  const updated = text(tracking['current_release_date']);
  const flags = byProduct(tree, vulnerability['flags'], (f) => JUSTIFICATION_OF_FLAG[text(f['label']) ?? ''] ?? null);
  const impacts = byProduct(tree, vulnerability['threats'], (t) => (t['category'] === 'impact' ? text(t['details']) : null));
  const remediations = byProduct(tree, vulnerability['remediations'], (r) => r);

  // One entry per distinct analysis, its products in the order the document lists them.
  const groups = new Map<string, { analysis: Json; recommendation: string | null; refs: string[] }>();
  for (const [status, ids] of Object.entries(record(vulnerability['product_status']))) {
    const state = STATE_OF_STATUS[status];
    if (state === undefined) continue;
    for (const ref of strings(ids)) {
      if (!known.has(ref)) continue;
      const fixes = remediations.get(ref) ?? [];
      const justification = state === 'not_affected' ? (flags.get(ref)?.[0] ?? null) : null;
      const response =
        state === 'exploitable'
          ? [...new Set(fixes.map((r) => RESPONSE_OF_REMEDIATION[text(r['category']) ?? '']).filter((r): r is string => r !== undefined))]
          : [];
      const detail = impacts.get(ref)?.join('\n') ?? null;
      const advice = fixes.map((r) => [text(r['details']), text(r['url'])].filter((x) => x !== null).join(' ')).filter((x) => x !== '');
      const recommendation = state === 'exploitable' || state === 'resolved' ? (advice.length > 0 ? advice.join('\n') : null) : null;
      const analysis: Json = {
        state,
        ...(justification === null ? {} : { justification }),
        ...(response.length > 0 ? { response } : {}),
        ...(detail === null ? {} : { detail }),
      };
      const key = JSON.stringify([analysis, recommendation]);
      const group = groups.get(key) ?? { analysis, recommendation, refs: [] };
      if (!group.refs.includes(ref)) group.refs.push(ref);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g, n) => ({
    'bom-ref': `vulnerability-${index + 1}-${n + 1}`,
    id,
    ...(cve === null ? {} : { source: { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${cve}` } }),
    ...(references.length > 0 ? { references } : {}),
    ...(ratings.length > 0 && g.analysis['state'] === 'exploitable' ? { ratings } : {}),
    ...(cweId === undefined ? {} : { cwes: [Number(cweId)] }),
    ...(description === null ? {} : { description }),
    ...(g.recommendation === null ? {} : { recommendation: g.recommendation }),
    ...(published === null ? {} : { published }),
    ...(updated === null ? {} : { updated }),
    analysis: g.analysis,
    affects: g.refs.map((ref) => ({ ref })),
  }));
}

/**
 * The CycloneDX 1.6 VEX BOM saying what `csaf` (a CSAF 2.0 document, parsed) says of its products. Products no
 * status names are left out; a `recommended` status says nothing about the flaw and is not carried.
 */
export function cycloneDxVexOfCsaf(csaf: Json, serialNumber: string): Json {
  const document = record(csaf['document']);
  const tracking = record(document['tracking']);
  const engine = record(record(tracking['generator'])['engine']);
  // CSAF 2.0 spells TLP:CLEAR as WHITE (TLP 1.0); CycloneDX 1.6 has no TLP field, so it is a property.
  const label = text(record(record(document['distribution'])['tlp'])['label']);
  const tlp = label === 'WHITE' ? 'CLEAR' : label;
  const tree = new CsafProductTree(record(csaf['product_tree']));
  // The products some status names, in the order first named.
  const named = new Map<string, ResolvedProduct>();
  for (const v of list(csaf['vulnerabilities']))
    for (const [status, ids] of Object.entries(record(record(v)['product_status'])))
      if (STATE_OF_STATUS[status] !== undefined)
        for (const id of strings(ids)) {
          const product = tree.product(id);
          if (product !== null) named.set(id, product);
        }
  const publisher = record(document['publisher']);
  const timestamp = text(tracking['current_release_date']);
  const trackingId = text(tracking['id']);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber,
    // Each document has its own serial number, so each BOM is the first version of itself.
    version: 1,
    metadata: {
      ...(timestamp === null ? {} : { timestamp }),
      ...(text(engine['name']) === null
        ? {}
        : {
            tools: {
              components: [
                { type: 'application', name: engine['name'], ...(text(engine['version']) === null ? {} : { version: engine['version'] }) },
              ],
            },
          }),
      ...(text(publisher['name']) === null
        ? {}
        : { supplier: { name: publisher['name'], ...(text(publisher['namespace']) === null ? {} : { url: [publisher['namespace']] }) } }),
      properties: [
        ...(tlp === null ? [] : [{ name: 'clearinghouse:tlp', value: tlp }]),
        ...(trackingId === null ? [] : [{ name: 'clearinghouse:csaf_tracking_id', value: trackingId }]),
      ],
    },
    components: [...named.values()].map(component),
    vulnerabilities: list(csaf['vulnerabilities']).flatMap((v, i) =>
      vulnerabilityEntries(record(v), i, tree, new Set(named.keys()), document),
    ),
  };
}

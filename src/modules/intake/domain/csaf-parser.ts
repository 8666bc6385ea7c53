import { UnsupportedMediaTypeError, type FieldIssue } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import { csafMandatoryWarnings } from './csaf-mandatory-checks.js';
import { normalizeCwe } from './cwe.js';
import { CsafProductTree } from './csaf-product-tree.js';
import {
  CSAF_PRODUCT_STATUSES,
  emptyFinding,
  type AffectedPackage,
  type CsafProductStatus,
  type Finding,
  type ResolvedProduct,
  type Severity,
  type Target,
  type VulnerabilityAlias,
} from './finding.js';
import { throwIfInvalid, type FormatReader } from './format-reader.js';
import { list, pointer, record, text, texts, unique, type JsonRecord } from './json-access.js';
import { packageTargetFromPurl, purlVersion } from './package-target.js';
import { validateCsaf } from './schema-validators.js';
import { cvssSeverity } from './severity.js';
import { cpeTarget, productTarget } from './targets.js';
import { normalizeVulnerabilityId, vulnerabilityIdsInText } from './vulnerability-ids.js';

/**
 * CSAF 2.0 advisories and VEX documents → one finding per vulnerability × product named in its
 * `product_status` (ref `/vulnerabilities/i` plus the product id), with the status, the VEX justification,
 * the remediations and the impact statement for that product kept.
 */

// TLP 1.0 labels as CSAF 2.0 writes them, mapped to TLP 2.0 (WHITE became CLEAR).
const TLP_V1: Readonly<Record<string, Tlp>> = { WHITE: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' };
const AFFECTED = new Set(['known_affected', 'first_affected', 'last_affected']);
const FIXED = new Set(['fixed', 'first_fixed']);

function aliasesOf(vulnerability: JsonRecord, at: string): VulnerabilityAlias[] {
  const out: VulnerabilityAlias[] = [];
  const cve = text(vulnerability['cve']);
  const id = cve === null ? null : normalizeVulnerabilityId(cve);
  if (id !== null) out.push({ id, source: 'record', pointer: pointer(at, 'cve') });
  // `ids` also holds tracker numbers (a Bugzilla id); only recognizable vulnerability ids are aliases.
  list(vulnerability['ids']).forEach((entry, i) => {
    for (const known of vulnerabilityIdsInText(text(record(entry)['text']) ?? '')) {
      out.push({ id: known, source: 'alias', pointer: pointer(at, 'ids', i, 'text') });
    }
  });
  return unique(out, (a) => a.id);
}

function targetsOf(product: ResolvedProduct): Target[] {
  const out: Target[] = [];
  const purl = product.purl === null ? null : packageTargetFromPurl(product.purl);
  if (purl) out.push(purl);
  const cpe = product.cpe === null ? null : cpeTarget(product.cpe);
  if (cpe) out.push(cpe);
  const platform = product.platform?.cpe ? cpeTarget(product.platform.cpe) : null;
  if (platform) out.push(platform);
  if (out.length === 0 && product.vendor !== null && product.productName !== null) {
    const named = productTarget(product.vendor, product.productName);
    if (named) out.push(named);
  }
  return unique(out, (t) => t.identity);
}

function notesText(notes: unknown, categories: readonly string[]): string | null {
  const entries = list(notes).map(record);
  for (const category of categories) {
    const note = entries.find((n) => n['category'] === category);
    const value = note === undefined ? null : text(note['text']);
    if (value !== null) return value;
  }
  return null;
}

/** The product as an affected package; its version counts as affected or fixed as the status says. */
function affectedOf(product: ResolvedProduct, status: CsafProductStatus, target: Target | null): AffectedPackage {
  // The purl's version is exact; a product_version branch is often a whole NEVRA (`git-lfs-0:2.13.3-3.el8_6.1.src`).
  const version = (product.purl === null ? null : purlVersion(product.purl)) ?? product.version;
  return {
    target,
    ecosystem: null,
    name: product.productName ?? product.name,
    ranges: [],
    versions: version !== null && AFFECTED.has(status) ? [version] : [],
    fixedVersions: version !== null && FIXED.has(status) ? [version] : [],
    defaultStatus: null,
    source: 'csaf',
  };
}

interface PerProduct {
  readonly severities: (productId: string) => Severity[];
  readonly statement: (productId: string) => { justification: string | null; remediations: string[]; impact: string | null };
}

/** Scores, flags, threats and remediations name the products they apply to; index them once per vulnerability. */
function perProduct(vulnerability: JsonRecord, tree: CsafProductTree): PerProduct {
  // Scores name their products in `products`; flags, threats and remediations in `product_ids` / `group_ids`.
  const scores = list(vulnerability['scores']).map((s) => ({ ids: new Set(texts(record(s)['products'])), score: record(s) }));
  const flags = list(vulnerability['flags']).map((f) => ({ ids: tree.productIdsOf(record(f)), label: text(record(f)['label']) }));
  const remediations = list(vulnerability['remediations']).map((r) => ({
    ids: tree.productIdsOf(record(r)),
    category: text(record(r)['category']),
  }));
  const threats = list(vulnerability['threats'])
    .map(record)
    .filter((t) => t['category'] === 'impact')
    .map((t) => ({ ids: tree.productIdsOf(t), details: text(t['details']) }));
  return {
    severities: (productId) =>
      scores
        .filter((s) => s.ids.has(productId))
        .flatMap(({ score }) =>
          ['cvss_v3', 'cvss_v2'].flatMap((key) => {
            const cvss = record(score[key]);
            const vector = text(cvss['vectorString']);
            const base = typeof cvss['baseScore'] === 'number' ? cvss['baseScore'] : null;
            return (vector === null ? null : cvssSeverity(vector, 'csaf', base)) ?? [];
          }),
        ),
    statement: (productId) => ({
      justification: flags.find((f) => f.ids.has(productId))?.label ?? null,
      remediations: unique(remediations.filter((r) => r.ids.has(productId)).flatMap((r) => (r.category === null ? [] : [r.category]))),
      // An impact statement without product ids applies to the whole vulnerability.
      impact: threats.find((t) => t.ids.size === 0 || t.ids.has(productId))?.details ?? null,
    }),
  };
}

function vulnerabilityFindings(doc: JsonRecord, tree: CsafProductTree, index: number, warnings: FieldIssue[]): Finding[] {
  const document = record(doc['document']);
  const vulnerability = record(list(doc['vulnerabilities'])[index]);
  const at = pointer('', 'vulnerabilities', index);
  const cwe = normalizeCwe(record(vulnerability['cwe'])['id']);
  const aggregate = text(record(document['aggregate_severity'])['text']);
  const perProductOf = perProduct(vulnerability, tree);
  const base = {
    ...emptyFinding('csaf', at),
    title: text(vulnerability['title']) ?? text(document['title']),
    description: notesText(vulnerability['notes'], ['description', 'summary', 'general']),
    aliases: aliasesOf(vulnerability, at),
    cwes: cwe === null ? [] : [cwe],
    dates: {
      published: text(vulnerability['release_date']),
      modified: text(record(document['tracking'])['current_release_date']),
      withdrawn: null,
    },
    references: list(vulnerability['references']).flatMap((r) => {
      const url = text(record(r)['url']);
      return url === null ? [] : [{ url, type: text(record(r)['category']) }];
    }),
    provenance: { tool: null, model: null, aiGenerated: null, campaignId: null, publisher: text(record(document['publisher'])['name']) },
  };
  const findings: Finding[] = [];
  const statuses = record(vulnerability['product_status']);
  for (const status of CSAF_PRODUCT_STATUSES) {
    list(statuses[status]).forEach((rawId, j) => {
      if (typeof rawId !== 'string') return;
      let product = tree.product(rawId);
      if (product === null) {
        warnings.push({
          pointer: pointer(at, 'product_status', status, j),
          detail: `names product "${rawId}", which the product tree does not define`,
        });
        product = { id: rawId, name: null, vendor: null, productName: null, version: null, purl: null, cpe: null, platform: null };
      }
      const targets = targetsOf(product);
      const severities: Severity[] = perProductOf.severities(rawId);
      if (aggregate !== null) severities.push({ kind: 'qualitative', text: aggregate, source: 'csaf:aggregate_severity' });
      findings.push({
        ...base,
        productId: rawId,
        targets,
        affected: [affectedOf(product, status, targets[0] ?? null)],
        severities,
        productStatus: { status, product, ...perProductOf.statement(rawId) },
      });
    });
  }
  return findings;
}

/** Reads a CSAF 2.0 document of any category; an informational advisory without vulnerabilities yields none. */
export const readCsaf: FormatReader = (doc, _options, warnings) => {
  const document = record(doc['document']);
  const version = document['csaf_version'];
  if (version !== '2.0') {
    throw new UnsupportedMediaTypeError(`CSAF version ${JSON.stringify(version)} is not read; only CSAF 2.0 is`);
  }
  throwIfInvalid('CSAF 2.0', validateCsaf(doc));
  warnings.push(...csafMandatoryWarnings(doc));
  const tree = new CsafProductTree(record(doc['product_tree']));
  const findings = list(doc['vulnerabilities']).flatMap((_, i) => vulnerabilityFindings(doc, tree, i, warnings));
  const label = text(record(record(document['distribution'])['tlp'])['label']);
  return {
    findings,
    documentId: text(record(document['tracking'])['id']),
    formatVersion: '2.0',
    suggestedTlp: (label === null ? undefined : TLP_V1[label]) ?? 'AMBER',
    vex: document['category'] === 'csaf_vex',
  };
};

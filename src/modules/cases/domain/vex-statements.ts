import type { FieldIssue } from '../../../platform/errors.js';
import type { CsafProductStatus, Finding } from '../../intake/index.js';
import { readProductRef, type ProductRef } from './product-ref.js';
import { VEX_JUSTIFICATIONS, type StatementContent, type StatementStatus, type VexJustification } from './statements.js';

/**
 * A vendor's VEX document read into statements: CSAF VEX (as intake read it, one finding per vulnerability
 * × product status) or CycloneDX VEX (`vulnerabilities[].analysis` and `affects`). Each statement names the
 * vulnerability ids it is about; the service applies it to the vendor's cases whose vulnerabilities carry
 * one of them. What cannot become a statement is skipped with the reason, never guessed.
 */

export interface VexStatement {
  /** CVE, GHSA… ids the statement is about (any one matching a case vulnerability applies it). */
  readonly vulnerabilityIds: readonly string[];
  readonly content: StatementContent;
  /** JSON pointer of the statement's source in the document. */
  readonly pointer: string;
}

export interface VexStatements {
  readonly statements: readonly VexStatement[];
  readonly skipped: readonly FieldIssue[];
}

/**
 * The VEX status each CSAF product status states (§3.2.3.9). `recommended` names the version a vendor
 * recommends, which says nothing about whether the vulnerability affects it: no statement.
 */
export const VEX_STATUS_OF_CSAF: Readonly<Record<CsafProductStatus, StatementStatus | null>> = Object.freeze({
  known_affected: 'affected',
  first_affected: 'affected',
  last_affected: 'affected',
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  first_fixed: 'fixed',
  under_investigation: 'under_investigation',
  recommended: null,
});

function statementOf(
  status: StatementStatus,
  product: ProductRef,
  parts: {
    justification?: string | null;
    impact?: string | null;
    action?: string | null;
    fixedVersions?: readonly string[];
    fixText?: string | null;
    text?: string | null;
  },
): StatementContent | string {
  const justification = (VEX_JUSTIFICATIONS as readonly string[]).includes(parts.justification ?? '')
    ? (parts.justification as VexJustification)
    : null;
  const impact = parts.impact ?? null;
  // A VEX document may say "not affected" with an impact statement alone (CSAF §6.1.27.9); one of the two it must give.
  if (status === 'not_affected' && justification === null && impact === null)
    return 'not_affected without a justification or an impact statement';
  const fixedVersions = status === 'fixed' ? [...(parts.fixedVersions ?? (product.version === null ? [] : [product.version]))] : [];
  return {
    status,
    product,
    justification: status === 'not_affected' ? justification : null,
    impactStatement: status === 'not_affected' ? impact : null,
    actionStatement: status === 'affected' ? (parts.action ?? null) : null,
    fixedVersions,
    fixUrl: null,
    fixText: status === 'fixed' ? (parts.fixText ?? 'As stated in the vendor’s VEX document.') : null,
    text: parts.text ?? null,
    shareBeforePublication: false,
  };
}

function productRefOf(value: Record<string, unknown>, pointer: string): ProductRef | string {
  const issues: FieldIssue[] = [];
  const product = readProductRef(value, pointer, issues);
  return issues.length === 0 ? product : issues.map((i) => `${i.pointer} ${i.detail}`).join('; ');
}

/** Statements from a CSAF VEX document's findings (intake's reading of it). */
export function statementsFromCsafFindings(findings: readonly Finding[]): VexStatements {
  const statements: VexStatement[] = [];
  const skipped: FieldIssue[] = [];
  for (const finding of findings) {
    const ps = finding.productStatus;
    const pointer = `${finding.ref}/product_status (${finding.productId ?? '?'})`;
    const status = ps === null ? null : VEX_STATUS_OF_CSAF[ps.status];
    if (ps === null || status === null) {
      skipped.push({ pointer, detail: `status ${ps?.status ?? 'none'} states nothing about the vendor's product` });
      continue;
    }
    const resolved = ps.product;
    const product = productRefOf(
      {
        ...(resolved.purl === null ? {} : { purl: resolved.purl }),
        ...(resolved.cpe === null ? {} : { cpe: resolved.cpe }),
        ...(resolved.vendor === null ? {} : { vendor: resolved.vendor }),
        name: (resolved.version === null ? resolved.name : resolved.productName) ?? resolved.name ?? resolved.id,
        ...(resolved.version === null ? {} : { version: resolved.version }),
      },
      pointer,
    );
    const ids = finding.aliases.map((a) => a.id);
    const remedies = ps.remediations.length > 0 ? `Remediation stated in the VEX document: ${ps.remediations.join(', ')}.` : null;
    const content =
      typeof product === 'string'
        ? product
        : statementOf(status, product, { justification: ps.justification, impact: ps.impact, action: remedies, fixText: remedies });
    if (typeof content === 'string') skipped.push({ pointer, detail: content });
    else if (ids.length === 0) skipped.push({ pointer, detail: 'names no vulnerability id (cve or ids)' });
    else statements.push({ vulnerabilityIds: ids, content, pointer });
  }
  return { statements, skipped };
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** CycloneDX `analysis.state` → VEX status (CycloneDX 1.4+ and CISA's mapping). */
const CDX_STATE: Readonly<Record<string, StatementStatus>> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/** CycloneDX `analysis.justification` → the CSAF VEX justification that says the same. */
const CDX_JUSTIFICATION: Readonly<Record<string, VexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** Every component of the BOM by `bom-ref`, nested ones included. */
function componentsByRef(bom: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  const visit = (c: Json) => {
    const ref = text(c['bom-ref']);
    if (ref !== null) out.set(ref, c);
    for (const child of list(c['components'])) visit(record(child));
  };
  visit(record(record(bom['metadata'])['component']));
  for (const c of list(bom['components'])) visit(record(c));
  return out;
}

function componentProduct(component: Json | undefined, ref: string): Json {
  if (component === undefined) {
    // A BOM-Link (`urn:cdx:serial/version#ref`) names a component of another BOM: keep what it says.
    const fragment = ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : ref;
    return { name: decodeURIComponent(fragment) || ref };
  }
  const vendor = text(record(component['supplier'])['name']) ?? text(component['publisher']) ?? text(component['group']);
  return {
    ...(text(component['purl']) === null ? {} : { purl: text(component['purl']) }),
    ...(text(component['cpe']) === null ? {} : { cpe: text(component['cpe']) }),
    ...(vendor === null ? {} : { vendor }),
    name: text(component['name']) ?? ref,
    ...(text(component['version']) === null ? {} : { version: text(component['version']) }),
  };
}

/**
 * Statements from a CycloneDX VEX document (1.4 and later; schema-checked by the caller). Each vulnerability
 * × affected ref × listed version is one statement; a `vers:` range stays in the product's name, since a
 * statement's version is one version.
 */
export function statementsFromCycloneDx(bom: Json): VexStatements {
  const components = componentsByRef(bom);
  const statements: VexStatement[] = [];
  const skipped: FieldIssue[] = [];
  list(bom['vulnerabilities']).forEach((v, i) => {
    const vulnerability = record(v);
    const at = `/vulnerabilities/${i}`;
    const analysis = record(vulnerability['analysis']);
    const state = text(analysis['state']);
    const status = state === null ? undefined : CDX_STATE[state];
    const ids = [text(vulnerability['id']), ...list(vulnerability['references']).map((r) => text(record(r)['id']))].filter(
      (x): x is string => x !== null,
    );
    if (status === undefined) {
      skipped.push({ pointer: `${at}/analysis/state`, detail: `is ${state ?? 'missing'}: no VEX status to read` });
      return;
    }
    if (ids.length === 0) {
      skipped.push({ pointer: `${at}/id`, detail: 'names no vulnerability id' });
      return;
    }
    const justification =
      CDX_JUSTIFICATION[text(analysis['justification']) ?? ''] ?? (state === 'false_positive' ? 'vulnerable_code_not_present' : null);
    const detail = text(analysis['detail']);
    const responses = list(analysis['response'])
      .map(text)
      .filter((x): x is string => x !== null);
    const action =
      text(vulnerability['recommendation']) ?? detail ?? (responses.length > 0 ? `Vendor response: ${responses.join(', ')}.` : null);
    const affects = list(vulnerability['affects']);
    if (affects.length === 0) skipped.push({ pointer: `${at}/affects`, detail: 'names no product' });
    affects.forEach((a, j) => {
      const affect = record(a);
      const ref = text(affect['ref']) ?? '';
      const base = componentProduct(components.get(ref), ref);
      const versions = list(affect['versions']).map(record);
      const variants: { product: Json; pointer: string; unaffected: boolean }[] =
        versions.length === 0
          ? [{ product: base, pointer: `${at}/affects/${j}`, unaffected: false }]
          : versions.map((entry, k) => {
              const version = text(entry['version']);
              const range = text(entry['range']);
              const { purl: _purl, cpe: _cpe, version: _v, ...named } = base;
              const product =
                version !== null ? { ...named, version } : { ...named, name: `${String(base['name'])} ${range ?? ''}`.trim() };
              return { product, pointer: `${at}/affects/${j}/versions/${k}`, unaffected: entry['status'] === 'unaffected' };
            });
      for (const variant of variants) {
        const product = productRefOf(variant.product, variant.pointer);
        // An `unaffected` version of an exploitable vulnerability is a version without the flaw: fixed, or never affected.
        const effective: StatementStatus = variant.unaffected && status === 'affected' ? 'fixed' : status;
        const content =
          typeof product === 'string'
            ? product
            : statementOf(effective, product, {
                justification,
                impact: status === 'not_affected' ? detail : null,
                action,
                fixText: detail,
                text: detail,
              });
        if (typeof content === 'string') skipped.push({ pointer: variant.pointer, detail: content });
        else statements.push({ vulnerabilityIds: ids, content, pointer: variant.pointer });
      }
    });
  });
  return { statements, skipped };
}

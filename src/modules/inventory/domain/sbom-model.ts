import { parsePurl } from '../../../platform/software/index.js';

/**
 * The normalized inventory every SBOM format is read into: a flat component list (nesting kept as
 * `parentRef`) and a dependency graph between component refs. Identity comes from the purl, else the CPE;
 * a component with neither is kept, with `unmatchedReason` saying why it cannot be matched.
 */

export type ComponentIdentity =
  | {
      readonly kind: 'purl';
      /** Canonical purl. */
      readonly purl: string;
      /** OSV ecosystem, or null when the purl type maps to none (pkg:generic, pkg:docker, …). */
      readonly ecosystem: string | null;
      /** The name as OSV writes it in that ecosystem. */
      readonly name: string;
      readonly version: string | null;
    }
  | { readonly kind: 'cpe'; readonly cpe: string; readonly vendor: string; readonly product: string; readonly version: string | null };

export interface SbomComponent {
  /** bom-ref, SPDXID or spdxId; synthesized ("component-3") when the document gives none. */
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  /** CycloneDX component type or SPDX primary purpose, when stated. */
  readonly type: string | null;
  /** The purl exactly as written in the document. */
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly identity: ComponentIdentity | null;
  /** Why advisories cannot be matched to this component, or null when they can. */
  readonly unmatchedReason: string | null;
  /** The enclosing component for nested CycloneDX components. */
  readonly parentRef: string | null;
  /** True for the product the document describes (CycloneDX metadata.component, SPDX DESCRIBES). */
  readonly subject: boolean;
}

export interface SbomDependency {
  readonly from: string;
  readonly to: string;
  readonly kind: 'depends-on' | 'contains';
}

export interface ParsedSbom {
  readonly format: 'CycloneDX' | 'SPDX';
  readonly specVersion: string;
  readonly serialization: 'json' | 'xml' | 'tag-value' | 'json-ld' | 'yaml';
  readonly name: string | null;
  readonly components: readonly SbomComponent[];
  readonly dependencies: readonly SbomDependency[];
  /** Things that were read but not used, or were odd (a dependency naming an unknown ref, …). */
  readonly warnings: readonly string[];
}

// cpe:2.3:part:vendor:product:version:… (escaped colons allowed) or the 2.2 URI form cpe:/part:vendor:product:version.
const CPE23 = /^cpe:2\.3:[aho*-]:((?:[^:\\]|\\.)+):((?:[^:\\]|\\.)+):((?:[^:\\]|\\.)*)(?::(?:[^:\\]|\\.)*){7}$/i;
const CPE22 = /^cpe:\/[aho]?:([^:]+):([^:]+)(?::([^:]*))?/i;

/** Reads vendor, product and version from a CPE 2.3 formatted string or a CPE 2.2 URI; null if neither. */
export function parseCpe(cpe: string): Extract<ComponentIdentity, { kind: 'cpe' }> | null {
  const text = cpe.trim();
  const m = CPE23.exec(text) ?? CPE22.exec(text);
  if (!m) return null;
  const version = m[3] === undefined || m[3] === '' || m[3] === '*' || m[3] === '-' ? null : m[3].replace(/\\(.)/g, '$1');
  return {
    kind: 'cpe',
    cpe: text,
    vendor: (m[1] as string).replace(/\\(.)/g, '$1'),
    product: (m[2] as string).replace(/\\(.)/g, '$1'),
    version,
  };
}

/** What a format reader knows of one component before identity is decided. */
export interface RawComponent {
  readonly ref: string | null;
  readonly name: string | null;
  readonly version: string | null;
  readonly type: string | null;
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly parentRef?: string | null;
  readonly subject?: boolean;
}

const TYPE_REASONS: Readonly<Record<string, string>> = {
  'cryptographic-asset': 'a cryptographic asset (CBOM), not a software package',
  device: 'a hardware device (HBOM) with no purl or CPE',
  service: 'a service, not a software package',
  data: 'a data component, not a software package',
};

/**
 * Decides identity: the purl when it is valid and names an OSV ecosystem; else the CPE; else the purl
 * even without an ecosystem (still an identity, but unmatchable); else none. The reason is null only for
 * components advisories can be matched to.
 */
export function resolveComponent(raw: RawComponent, fallbackRef: string): SbomComponent {
  const reasons: string[] = [];
  let identity: ComponentIdentity | null = null;
  let purlIdentity: ComponentIdentity | null = null;
  if (raw.purl) {
    const p = parsePurl(raw.purl);
    if (p.ok) {
      purlIdentity = {
        kind: 'purl',
        purl: p.value.purl,
        ecosystem: p.value.ecosystem,
        name: p.value.name,
        version: p.value.version ?? raw.version,
      };
      if (p.value.ecosystem !== null) identity = purlIdentity;
      else reasons.push(`purl type "${p.value.type}" maps to no advisory ecosystem`);
    } else {
      reasons.push(p.reason);
    }
  }
  if (identity === null && raw.cpe) {
    identity = parseCpe(raw.cpe);
    if (identity === null) reasons.push(`CPE ${JSON.stringify(raw.cpe)} is malformed`);
  }
  if (identity === null && purlIdentity !== null) identity = purlIdentity;
  const matchable = identity !== null && (identity.kind === 'cpe' || identity.ecosystem !== null);
  if (!raw.purl && !raw.cpe) reasons.push((raw.type && TYPE_REASONS[raw.type]) ?? 'no purl or CPE');
  return {
    ref: raw.ref ?? fallbackRef,
    name: raw.name ?? '(unnamed)',
    version: raw.version,
    type: raw.type,
    purl: raw.purl,
    cpe: raw.cpe,
    identity,
    unmatchedReason: matchable ? null : reasons.join('; '),
    parentRef: raw.parentRef ?? null,
    subject: raw.subject ?? false,
  };
}

import { cwesInText, normalizeCwe } from './cwe.js';
import type { AffectedPackage, CodeLocation, CveEnrichment, Reference, Severity, Target, VersionRange } from './finding.js';
import { isRecord, list, record, text, texts, type JsonRecord } from './json-access.js';
import { packageTargetFromCollection } from './package-target.js';
import { cvssSeverity } from './severity.js';
import { cpeTarget, productTarget, repositoryTarget } from './targets.js';

/**
 * Reading one CVE 5 container (the CNA's or an ADP's): the fields CNA and ADP containers share, so the
 * record parser can merge them with the container named as the source of each part.
 */

export interface ContainerParts {
  readonly affected: AffectedPackage[];
  readonly targets: Target[];
  readonly cwes: string[];
  readonly severities: Severity[];
  readonly locations: CodeLocation[];
  readonly references: Reference[];
  readonly enrichment: { kev: CveEnrichment['kev']; ssvc: CveEnrichment['ssvc'] };
}

/** `cna`, or `adp:<shortName>` (e.g. `adp:CISA-ADP`), as severities and affected entries name their source. */
export function containerSource(container: JsonRecord, isCna: boolean): string {
  if (isCna) return 'cna';
  return `adp:${text(record(container['providerMetadata'])['shortName']) ?? 'unknown'}`;
}

function rangeOf(value: unknown): VersionRange | null {
  const v = record(value);
  const version = text(v['version']);
  const status = text(v['status']);
  if (version === null || status === null) return null;
  return {
    scheme: 'cve5',
    status,
    versionType: text(v['versionType']),
    version,
    lessThan: text(v['lessThan']),
    lessThanOrEqual: text(v['lessThanOrEqual']),
    changes: list(v['changes']).flatMap((c) => {
      const at = text(record(c)['at']);
      const changeStatus = text(record(c)['status']);
      return at === null || changeStatus === null ? [] : [{ at, status: changeStatus }];
    }),
  };
}

function targetOf(entry: JsonRecord): Target | null {
  const collection = text(entry['collectionURL']);
  const packageName = text(entry['packageName']);
  const cpe = texts(entry['cpes'])
    .map(cpeTarget)
    .find((t) => t !== null);
  const repo = text(entry['repo']);
  return (
    (collection !== null && packageName !== null ? packageTargetFromCollection(collection, packageName) : null) ??
    cpe ??
    (repo === null ? null : repositoryTarget(repo)) ??
    productTarget(text(entry['vendor']) ?? '', text(entry['product']) ?? packageName ?? '')
  );
}

const noLocation = { startLine: null, endLine: null, startColumn: null, lineHash: null, snippet: null, symbol: null } as const;

function affectedParts(container: JsonRecord, source: string): Pick<ContainerParts, 'affected' | 'targets' | 'locations'> {
  const affected: AffectedPackage[] = [];
  const targets: Target[] = [];
  const locations: CodeLocation[] = [];
  for (const item of list(container['affected'])) {
    const entry = record(item);
    const target = targetOf(entry);
    if (target) targets.push(target);
    for (const cpe of texts(entry['cpes'])) {
      const t = cpeTarget(cpe);
      if (t) targets.push(t);
    }
    affected.push({
      target,
      ecosystem: text(entry['collectionURL']),
      name: text(entry['packageName']) ?? text(entry['product']),
      ranges: list(entry['versions']).flatMap((v) => rangeOf(v) ?? []),
      versions: [],
      fixedVersions: [],
      defaultStatus: text(entry['defaultStatus']),
      source,
    });
    for (const path of texts(entry['programFiles'])) locations.push({ ...noLocation, path, function: null });
    for (const routine of list(entry['programRoutines'])) {
      const name = text(record(routine)['name']);
      if (name !== null) locations.push({ ...noLocation, path: null, function: name });
    }
  }
  return { affected, targets, locations };
}

function cwesOf(container: JsonRecord): string[] {
  const out: string[] = [];
  for (const problem of list(container['problemTypes'])) {
    for (const d of list(record(problem)['descriptions'])) {
      const description = record(d);
      const cwe = normalizeCwe(description['cweId']);
      if (cwe !== null) out.push(cwe);
      else out.push(...cwesInText(text(description['description']) ?? ''));
    }
  }
  return out;
}

const CVSS_KEYS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'] as const;

/** SSVC `options` come as single-key objects (`[{ "Exploitation": "active" }, …]`); they read better as one map. */
function ssvcOptions(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(value)) {
    for (const [key, v] of Object.entries(record(item))) if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function metricsOf(container: JsonRecord, source: string): Pick<ContainerParts, 'severities' | 'enrichment'> {
  const severities: Severity[] = [];
  let kev: CveEnrichment['kev'] = null;
  let ssvc: CveEnrichment['ssvc'] = null;
  for (const item of list(container['metrics'])) {
    const metric = record(item);
    for (const key of CVSS_KEYS) {
      const cvss = record(metric[key]);
      const vector = text(cvss['vectorString']);
      const score = typeof cvss['baseScore'] === 'number' ? cvss['baseScore'] : null;
      const severity = vector === null ? null : cvssSeverity(vector, source, score);
      if (severity) severities.push(severity);
    }
    const other = record(metric['other']);
    const content = record(other['content']);
    if (other['type'] === 'kev' && kev === null) {
      const dateAdded = text(content['dateAdded']);
      if (dateAdded !== null) kev = { dateAdded, reference: text(content['reference']), provider: source };
    }
    if (other['type'] === 'ssvc' && ssvc === null && isRecord(other['content'])) {
      ssvc = {
        role: text(content['role']),
        version: text(content['version']),
        timestamp: text(content['timestamp']),
        options: ssvcOptions(content['options']),
        provider: source,
      };
    }
  }
  return { severities, enrichment: { kev, ssvc } };
}

/** Everything one container says, each part labelled with `source`. */
export function readContainer(container: JsonRecord, source: string): ContainerParts {
  return {
    ...affectedParts(container, source),
    ...metricsOf(container, source),
    cwes: cwesOf(container),
    references: list(container['references']).flatMap((r) => {
      const url = text(record(r)['url']);
      return url === null ? [] : [{ url, type: texts(record(r)['tags'])[0] ?? null }];
    }),
  };
}

import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { sortCwes } from './cwe.js';
import { containerSource, readContainer, type ContainerParts } from './cve5-containers.js';
import { emptyFinding, type Finding, type VulnerabilityAlias } from './finding.js';
import { throwIfInvalid, type FormatReader } from './format-reader.js';
import { isRecord, list, pointer, record, text, unique, type JsonRecord } from './json-access.js';
import { validateCveCnaContainer, validateCvePublished, validateCveRejected } from './schema-validators.js';
import { normalizeVulnerabilityId } from './vulnerability-ids.js';

/**
 * CVE JSON 5.x → one finding per record (ref `""`), merging the CNA container with every ADP container
 * (CISA's Vulnrichment adds CVSS, SSVC, KEV, CWE and CPEs there); each severity and affected entry names
 * the container it came from.
 *
 * Record states: PUBLISHED records are read. REJECTED ones are refused unless `includeRejected` is set.
 * RESERVED ones carry no content and are refused. A record without a state is a CNA container as CNAs
 * submit it for publication (the Go CNA's `data/cve/v5` files): its CNA container is validated alone.
 */

function englishFirst(values: unknown): string | null {
  const entries = list(values).map(record);
  const english = entries.find((d) => /^en\b/i.test(text(d['lang']) ?? ''));
  return text((english ?? entries[0] ?? {})['value']);
}

function merge(parts: readonly ContainerParts[]): ContainerParts {
  const all = <K extends keyof ContainerParts>(key: K) => parts.flatMap((p) => p[key] as unknown[]);
  return {
    affected: all('affected') as ContainerParts['affected'],
    targets: unique(all('targets') as ContainerParts['targets'], (t) => t.identity),
    cwes: sortCwes(all('cwes') as string[]),
    severities: all('severities') as ContainerParts['severities'],
    locations: unique(all('locations') as ContainerParts['locations'], (l) => `${l.path}\u0000${l.function}`),
    references: unique(all('references') as ContainerParts['references'], (r) => r.url),
    enrichment: {
      kev: parts.map((p) => p.enrichment.kev).find((k) => k !== null) ?? null,
      ssvc: parts.map((p) => p.enrichment.ssvc).find((s) => s !== null) ?? null,
    },
  };
}

function notPublished(cveId: string, state: string, cna: JsonRecord): InputError {
  const reason = englishFirst(cna['rejectedReasons']);
  const why =
    state === 'REJECTED'
      ? `it was rejected${reason ? `: ${reason}` : ''}; set includeRejected to import it`
      : state === 'RESERVED'
        ? 'a reserved id has no published content yet'
        : 'only PUBLISHED (and, on request, REJECTED) records are imported';
  return new InputError(
    `CVE record ${cveId} is in state ${state}, not PUBLISHED: ${why}`,
    [{ pointer: '/cveMetadata/state', detail: `is ${state}; only PUBLISHED records are imported` }],
    { code: 'cve-not-published' },
  );
}

function aliasesOf(cveId: string | null, cna: JsonRecord): VulnerabilityAlias[] {
  const out: VulnerabilityAlias[] = [];
  const own = cveId === null ? null : normalizeVulnerabilityId(cveId);
  if (own !== null) out.push({ id: own, source: 'record', pointer: '/cveMetadata/cveId' });
  // A rejected id "replaced by" another names the same vulnerability under the id that survived.
  list(cna['replacedBy']).forEach((raw, i) => {
    const id = typeof raw === 'string' ? normalizeVulnerabilityId(raw) : null;
    if (id !== null) out.push({ id, source: 'alias', pointer: pointer('/containers/cna/replacedBy', i) });
  });
  return out;
}

function validate(doc: JsonRecord, state: string | null): void {
  if (state !== null) {
    throwIfInvalid('CVE JSON 5', state === 'REJECTED' ? validateCveRejected(doc) : validateCvePublished(doc));
    return;
  }
  const metadata = record(doc['cveMetadata']);
  const issues = validateCveCnaContainer(record(doc['containers'])['cna']).map((i) => ({ ...i, pointer: `/containers/cna${i.pointer}` }));
  if (typeof metadata['cveId'] !== 'string' || !/^CVE-\d{4}-\d{4,}$/.test(metadata['cveId'])) {
    issues.unshift({ pointer: '/cveMetadata/cveId', detail: 'must be a CVE id such as CVE-2024-12345' });
  }
  throwIfInvalid('CVE JSON 5 CNA container', issues);
}

/** Reads a CVE JSON 5 record; see the module comment for the states it accepts. */
export const readCve5: FormatReader = (doc, options) => {
  const version = doc['dataVersion'];
  if (typeof version === 'string' && !/^5\./.test(version)) {
    throw new UnsupportedMediaTypeError(`CVE JSON ${version} is not read; only CVE JSON 5.x is`);
  }
  const metadata = record(doc['cveMetadata']);
  const cveId = text(metadata['cveId']);
  const state = text(metadata['state']);
  const containers = record(doc['containers']);
  const cna = record(containers['cna']);
  if (state !== null && state !== 'PUBLISHED' && !(state === 'REJECTED' && options.includeRejected === true)) {
    throw notPublished(cveId ?? 'without an id', state, cna);
  }
  validate(doc, state);
  const adps = list(containers['adp']).filter(isRecord);
  const parts = merge([
    readContainer(cna, containerSource(cna, true)),
    ...adps.map((adp) => readContainer(adp, containerSource(adp, false))),
  ]);
  const description = state === 'REJECTED' ? englishFirst(cna['rejectedReasons']) : englishFirst(cna['descriptions']);
  const finding: Finding = {
    ...emptyFinding('cve5', ''),
    ...parts,
    title: text(cna['title']) ?? description?.split('\n')[0] ?? null,
    description,
    aliases: aliasesOf(cveId, cna),
    enrichment: parts.enrichment.kev === null && parts.enrichment.ssvc === null ? null : parts.enrichment,
    status: state === 'REJECTED' ? 'rejected' : 'active',
    dates: {
      published: text(metadata['datePublished']),
      modified: text(metadata['dateUpdated']),
      withdrawn: state === 'REJECTED' ? text(metadata['dateRejected']) : null,
    },
    provenance: {
      tool: null,
      model: null,
      aiGenerated: null,
      campaignId: null,
      publisher: text(metadata['assignerShortName']) ?? text(record(cna['providerMetadata'])['shortName']),
    },
  };
  return {
    findings: [finding],
    documentId: cveId,
    formatVersion: text(doc['dataVersion']),
    // Published and rejected records are public; a CNA container before publication may be under embargo.
    suggestedTlp: state === null ? 'AMBER' : 'CLEAR',
  };
};

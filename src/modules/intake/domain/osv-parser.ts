import type { FieldIssue } from '../../../platform/errors.js';
import { normalizeCwe, sortCwes } from './cwe.js';
import {
  emptyFinding,
  type AffectedPackage,
  type CodeLocation,
  type Finding,
  type OsvRangeEvent,
  type Severity,
  type Target,
  type VersionRange,
  type VulnerabilityAlias,
} from './finding.js';
import { throwIfInvalid, type FormatReader } from './format-reader.js';
import { isRecord, list, pointer, record, text, texts, unique, type JsonRecord } from './json-access.js';
import { packageTargetFromEcosystem, packageTargetFromPurl } from './package-target.js';
import { validateOsv } from './schema-validators.js';
import { cvssSeverity } from './severity.js';
import { repositoryTarget } from './targets.js';
import { normalizeVulnerabilityId } from './vulnerability-ids.js';

/** OSV 1.x → one finding for the whole record (ref `""`). The record has passed the OSV schema. */

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function aliasesOf(doc: JsonRecord): VulnerabilityAlias[] {
  const out: VulnerabilityAlias[] = [];
  const own = normalizeVulnerabilityId(String(doc['id']));
  if (own !== null) out.push({ id: own, source: 'record', pointer: '/id' });
  list(doc['aliases']).forEach((raw, i) => {
    const id = typeof raw === 'string' ? normalizeVulnerabilityId(raw) : null;
    if (id !== null) out.push({ id, source: 'alias', pointer: pointer('/aliases', i) });
  });
  return unique(out, (a) => a.id);
}

function severitiesOf(value: unknown, source: string): Severity[] {
  const out: Severity[] = [];
  for (const item of list(value)) {
    const entry = record(item);
    const score = text(entry['score']);
    if (score === null) continue;
    const severity = entry['type'] === 'Ubuntu' ? { kind: 'qualitative' as const, text: score, source } : cvssSeverity(score, source);
    if (severity) out.push(severity);
  }
  return out;
}

function cwesOf(doc: JsonRecord): string[] {
  const out: string[] = [];
  const collect = (value: unknown) => {
    for (const item of list(value)) {
      const cwe = normalizeCwe(isRecord(item) ? (item['cwe_id'] ?? item['cweId']) : item);
      if (cwe !== null) out.push(cwe);
    }
  };
  const top = record(doc['database_specific']);
  collect(top['cwe_ids']);
  for (const affected of list(doc['affected'])) {
    const specific = record(record(affected)['database_specific']);
    collect(specific['cwes']);
    collect(specific['cwe_ids']);
  }
  return sortCwes(out);
}

/**
 * The OSV linter's "distinct events" rule, as far as it can be checked without ordering versions: the same
 * event twice, or an `introduced` closed at the very same version (an empty range), make a range ambiguous.
 * A version that closes one interval and opens the next (`fixed: 3.1.1` … `introduced: 3.1.1`) is fine.
 */
function distinct(events: readonly OsvRangeEvent[]): boolean {
  const seen = new Set<string>();
  for (const [i, event] of events.entries()) {
    const key = `${event.kind}\u0000${event.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const next = events[i + 1];
    if (event.kind === 'introduced' && next !== undefined && next.kind !== 'introduced' && next.version === event.version) return false;
  }
  return true;
}

function rangesOf(affected: JsonRecord, at: string, warnings: FieldIssue[]): VersionRange[] {
  return list(affected['ranges']).map((item, j) => {
    const range = record(item);
    const events: OsvRangeEvent[] = [];
    for (const eventValue of list(range['events'])) {
      const event = record(eventValue);
      const kind = EVENT_KINDS.find((k) => typeof event[k] === 'string');
      if (kind) events.push({ kind, version: String(event[kind]) });
    }
    if (!distinct(events)) {
      warnings.push({
        pointer: pointer(at, 'ranges', j, 'events'),
        detail: 'has events that are not distinct (a version repeated, or introduced and fixed at once)',
      });
    }
    return { scheme: 'osv', type: text(range['type']) ?? 'ECOSYSTEM', repo: text(range['repo']), events };
  });
}

function packageTarget(pkg: JsonRecord, at: string, warnings: FieldIssue[]): Target | null {
  const purl = text(pkg['purl']);
  if (purl !== null) {
    const target = packageTargetFromPurl(purl);
    if (target) return target;
    warnings.push({
      pointer: pointer(at, 'package', 'purl'),
      detail: 'is not a valid package URL; derived from ecosystem and name instead',
    });
  }
  const ecosystem = text(pkg['ecosystem']);
  const name = text(pkg['name']);
  return ecosystem === null || name === null ? null : packageTargetFromEcosystem(ecosystem, name);
}

function affectedOf(doc: JsonRecord, warnings: FieldIssue[]): AffectedPackage[] {
  return list(doc['affected']).map((item, i) => {
    const affected = record(item);
    const at = pointer('/affected', i);
    const pkg = record(affected['package']);
    const ranges = rangesOf(affected, at, warnings);
    const gitRepo = ranges.map((r) => (r.scheme === 'osv' && r.type === 'GIT' ? r.repo : null)).find((r) => r !== null) ?? null;
    return {
      target: packageTarget(pkg, at, warnings) ?? (gitRepo === null ? null : repositoryTarget(gitRepo)),
      ecosystem: text(pkg['ecosystem']),
      name: text(pkg['name']),
      ranges,
      versions: texts(affected['versions']),
      fixedVersions: [],
      defaultStatus: null,
      source: 'osv',
    };
  });
}

/** Affected functions the Go and RustSec databases list: the closest an advisory comes to a code location. */
function locationsOf(doc: JsonRecord): CodeLocation[] {
  const out: CodeLocation[] = [];
  const add = (fn: string, symbol: string | null) =>
    out.push({ path: null, startLine: null, endLine: null, startColumn: null, function: fn, symbol, lineHash: null, snippet: null });
  for (const item of list(doc['affected'])) {
    const specific = record(record(item)['ecosystem_specific']);
    for (const imp of list(specific['imports'])) {
      const entry = record(imp);
      for (const symbol of texts(entry['symbols'])) add(symbol, text(entry['path']));
    }
    for (const fn of texts(record(specific['affects'])['functions'])) add(fn, null);
  }
  return unique(out, (l) => `${l.function}\u0000${l.symbol}`);
}

function findingOf(doc: JsonRecord, warnings: FieldIssue[]): Finding {
  const affected = affectedOf(doc, warnings);
  const details = text(doc['details']);
  const withdrawn = text(doc['withdrawn']);
  const id = String(doc['id']);
  const severities = [...severitiesOf(doc['severity'], 'osv')];
  list(doc['affected']).forEach((a, i) => severities.push(...severitiesOf(record(a)['severity'], `osv:/affected/${i}`)));
  const dbSeverity = text(record(doc['database_specific'])['severity']);
  if (dbSeverity !== null) severities.push({ kind: 'qualitative', text: dbSeverity, source: 'osv:database_specific' });
  return {
    ...emptyFinding('osv', ''),
    title: text(doc['summary']) ?? details?.split('\n')[0] ?? null,
    description: details,
    aliases: aliasesOf(doc),
    targets: unique(
      affected.flatMap((a) => (a.target ? [a.target] : [])),
      (t) => t.identity,
    ),
    affected,
    cwes: cwesOf(doc),
    locations: locationsOf(doc),
    severities,
    status: withdrawn === null ? 'active' : 'withdrawn',
    dates: { published: text(doc['published']), modified: text(doc['modified']), withdrawn },
    references: list(doc['references']).flatMap((r) => {
      const url = text(record(r)['url']);
      return url === null ? [] : [{ url, type: text(record(r)['type']) }];
    }),
    provenance: { tool: null, model: null, aiGenerated: null, campaignId: null, publisher: id.split('-')[0] ?? null },
  };
}

const COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

/**
 * Some real records (seven in the PyPI database) name a patch file (`<sha>.patch`) where a GIT range wants a
 * commit. Such a range says nothing a matcher can use, so it is dropped — with a warning naming it — and
 * the record, whose ECOSYSTEM ranges are fine, is read; any other schema violation still refuses it.
 */
function withoutBrokenGitRanges(doc: JsonRecord, warnings: FieldIssue[]): JsonRecord {
  const broken: [number, number][] = [];
  list(doc['affected']).forEach((entry, a) => {
    list(record(entry)['ranges']).forEach((range, r) => {
      const rec = record(range);
      const events = list(rec['events']).flatMap((e) => Object.values(record(e)));
      if (rec['type'] === 'GIT' && events.some((v) => typeof v === 'string' && !COMMIT.test(v))) broken.push([a, r]);
    });
  });
  if (broken.length === 0) return doc;
  const copy = structuredClone(doc) as { affected: { ranges: unknown[] }[] };
  for (const [a, r] of [...broken].reverse()) {
    copy.affected[a]?.ranges.splice(r, 1);
    warnings.push({
      pointer: pointer('', 'affected', a, 'ranges', r),
      detail: 'a GIT range whose events are not commit hashes was ignored',
    });
  }
  for (const [a] of broken) if (copy.affected[a]?.ranges.length === 0) delete (copy.affected[a] as { ranges?: unknown }).ranges;
  return copy as unknown as JsonRecord;
}

/**
 * An OSV record checked as intake checks it, for every reader of OSV in the product: GIT ranges over patch
 * files dropped (each a warning), then the OSV schema. `issues` empty means valid; `document` is what to read.
 */
export function checkOsvRecord(original: unknown): { document: unknown; warnings: FieldIssue[]; issues: FieldIssue[] } {
  const warnings: FieldIssue[] = [];
  const document =
    typeof original === 'object' && original !== null && !Array.isArray(original)
      ? withoutBrokenGitRanges(original as JsonRecord, warnings)
      : original;
  return { document, warnings, issues: validateOsv(document) };
}

/** Reads an OSV record (JSON or YAML); `warnings` collects ambiguous ranges and unusable purls. */
export const readOsv: FormatReader = (original, _options, warnings) => {
  const checked = checkOsvRecord(original);
  warnings.push(...checked.warnings);
  const doc = checked.document as JsonRecord;
  throwIfInvalid('OSV', checked.issues);
  return {
    findings: [findingOf(doc, warnings)],
    documentId: text(doc['id']),
    formatVersion: text(doc['schema_version']),
    suggestedTlp: 'CLEAR',
  };
};

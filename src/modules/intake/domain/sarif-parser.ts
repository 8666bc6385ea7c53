import { UnsupportedMediaTypeError, type FieldIssue } from '../../../platform/errors.js';
import { sortCwes } from './cwe.js';
import { emptyFinding, type CodeLocation, type Finding, type Severity, type Target, type VulnerabilityAlias } from './finding.js';
import { finiteNumber, integer, isRecord, list, pointer, record, text, unique, type JsonRecord } from './json-access.js';
import { packageTargetFromPurl } from './package-target.js';
import { throwIfInvalid, type FormatReader } from './format-reader.js';
import { ruleFamily } from './rule-family.js';
import { SarifRun } from './sarif-run.js';
import { validateSarif } from './schema-validators.js';
import { sarifLevel } from './severity.js';
import { vulnerabilityIdsInText } from './vulnerability-ids.js';

/**
 * SARIF 2.1.0 → findings, one per `runs[i].results[j]` (ref `/runs/i/results/j`). The log has been
 * validated against the OASIS schema before it gets here.
 */

// The partial fingerprint GitHub code scanning computes from the content of the primary line; `/v1` is
// the same algorithm under its versioned name, and tools emit either.
const LINE_HASH_KEYS = ['primaryLocationLineHash', 'primaryLocationLineHash/v1'];
const FUNCTION_KINDS = new Set(['function', 'member', 'method']);

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(value))) if (typeof v === 'string') out[key] = v;
  return out;
}

/** `{0}` placeholders filled from `arguments` (§3.11.5); a message may also be a rule's `messageStrings` entry. */
function messageText(message: JsonRecord, rule: JsonRecord | null): string | null {
  const id = text(message['id']);
  const template = text(message['text']) ?? (id === null ? null : text(record(record(rule?.['messageStrings'])[id])['text']));
  if (template === null) return null;
  const args = list(message['arguments']);
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const arg = args[Number(n)];
    return typeof arg === 'string' ? arg : whole;
  });
}

function logicalNames(context: SarifRun, location: JsonRecord): { fn: string | null; symbol: string | null } {
  let fn: string | null = null;
  let symbol: string | null = null;
  const runTable = list(context.run['logicalLocations']);
  for (const item of list(location['logicalLocations'])) {
    const own = record(item);
    const index = integer(own['index']);
    const entry = { ...(index === null ? {} : record(runTable[index])), ...own };
    const name = text(entry['fullyQualifiedName']) ?? text(entry['name']);
    const kind = text(entry['kind']);
    if (name === null || kind === null) continue;
    if (FUNCTION_KINDS.has(kind)) fn ??= name;
    else if (['type', 'namespace', 'module', 'variable', 'parameter', 'property', 'field', 'resource'].includes(kind)) symbol ??= name;
  }
  return { fn, symbol };
}

function codeLocation(context: SarifRun, location: JsonRecord, at: string, lineHash: string | null): CodeLocation {
  const physical = record(location['physicalLocation']);
  const region = record(physical['region']);
  const { fn, symbol } = logicalNames(context, location);
  return {
    path: context.artifactPath(record(physical['artifactLocation']), pointer(at, 'physicalLocation', 'artifactLocation')),
    startLine: integer(region['startLine']),
    endLine: integer(region['endLine']),
    startColumn: integer(region['startColumn']),
    function: fn,
    symbol,
    lineHash,
    snippet: text(record(region['snippet'])['text']),
  };
}

function severities(result: JsonRecord, rule: JsonRecord | null): Severity[] {
  const out: Severity[] = [];
  const ruleLevel = sarifLevel(record(rule?.['defaultConfiguration'])['level']);
  const own = sarifLevel(result['level']);
  const kind = text(result['kind']) ?? 'fail';
  // §3.27.10: with no level anywhere, a failing result is a warning and any other kind is "none".
  const level = own ?? ruleLevel ?? (kind === 'fail' ? 'warning' : 'none');
  out.push({ kind: 'sarif-level', level, source: own !== null ? 'result' : ruleLevel !== null ? 'rule' : 'default' });
  for (const [bag, source] of [
    [record(result['properties']), 'result'],
    [record(rule?.['properties']), 'rule'],
  ] as const) {
    const score = finiteNumber(bag['security-severity']);
    if (score !== null && score >= 0 && score <= 10) out.push({ kind: 'security-severity', score, source });
  }
  return out;
}

function targetsOf(context: SarifRun, rule: JsonRecord | null): Target[] {
  const out: Target[] = [];
  if (context.repository) out.push(context.repository);
  // Package scanners (grype) list the affected packages on the rule.
  for (const raw of list(record(rule?.['properties'])['purls'])) {
    const target = typeof raw === 'string' ? packageTargetFromPurl(raw) : null;
    if (target) out.push(target);
  }
  return unique(out, (t) => t.identity);
}

function resultToFinding(context: SarifRun, result: JsonRecord, ref: string): Finding {
  const { rule, id: ruleId } = context.ruleOf(result);
  const partial = stringMap(result['partialFingerprints']);
  const lineHash = LINE_HASH_KEYS.map((k) => partial[k]).find((v) => v !== undefined && v.trim() !== '') ?? null;
  const locations = list(result['locations']).map((loc, i) =>
    codeLocation(context, record(loc), pointer(ref, 'locations', i), i === 0 ? lineHash : null),
  );
  const aliases: VulnerabilityAlias[] =
    ruleId === null ? [] : vulnerabilityIdsInText(ruleId).map((id) => ({ id, source: 'rule', pointer: pointer(ref, 'ruleId') }));
  const message = messageText(record(result['message']), rule);
  const ruleName = text(rule?.['name']);
  return {
    ...emptyFinding('sarif', ref),
    title: text(record(rule?.['shortDescription'])['text']) ?? ruleName ?? message?.split('\n')[0] ?? null,
    description: message,
    aliases,
    targets: targetsOf(context, rule),
    cwes: sortCwes(context.cwesOf(result, rule, ruleId)),
    locations,
    severities: severities(result, rule),
    rule: ruleId === null ? null : { id: ruleId, name: ruleName, family: ruleFamily(ruleId) },
    sourceFingerprints: { partial, full: stringMap(result['fingerprints']) },
    references: helpReference(rule),
    provenance: { tool: context.tool, model: null, aiGenerated: null, campaignId: null, publisher: context.organization },
  };
}

function helpReference(rule: JsonRecord | null): Finding['references'] {
  const uri = text(rule?.['helpUri']);
  return uri === null ? [] : [{ url: uri, type: 'help' }];
}

const REGION_ANCHORS = ['startLine', 'charOffset', 'byteOffset'];

/** Pointers of `region`/`contextRegion` objects that name no position at all (SARIF §3.30.2 requires one). */
function emptyRegions(value: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => emptyRegions(v, `${at}/${i}`, out));
  else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const here = `${at}/${key}`;
      if ((key === 'region' || key === 'contextRegion') && isRecord(child) && !REGION_ANCHORS.some((k) => k in child)) out.push(here);
      else emptyRegions(child, here, out);
    }
  }
  return out;
}

/**
 * Real converters (Microsoft's own SemmleQL converter among them) write `region: {}` for a result about a
 * whole file. Such a region says nothing, so it is dropped — with a warning naming it — rather than the
 * whole log refused; every other schema violation still refuses the log.
 */
function withoutEmptyRegions(doc: JsonRecord, warnings: FieldIssue[]): JsonRecord {
  const empty = emptyRegions(doc, '', []);
  if (empty.length === 0) return doc;
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const at of empty) {
    const segments = at.split('/').slice(1);
    const key = segments.pop() as string;
    let parent: unknown = copy;
    for (const segment of segments) parent = (parent as Record<string, unknown>)[segment];
    delete (parent as Record<string, unknown>)[key];
    warnings.push({ pointer: at, detail: 'an empty region (no startLine, charOffset or byteOffset; SARIF §3.30.2) was ignored' });
  }
  return copy;
}

/** Reads every result of every run of a SARIF 2.1.0 log; `warnings` collects paths that had to be repaired. */
export const readSarif: FormatReader = (original, _options, warnings) => {
  if (original['version'] !== '2.1.0') {
    throw new UnsupportedMediaTypeError(`SARIF version ${JSON.stringify(original['version'] ?? null)} is not read; only SARIF 2.1.0 is`);
  }
  const doc = withoutEmptyRegions(original, warnings);
  throwIfInvalid('SARIF 2.1.0', validateSarif(doc));
  const findings: Finding[] = [];
  let documentId: string | null = null;
  list(doc['runs']).forEach((runValue, r) => {
    if (!isRecord(runValue)) return;
    const runPointer = pointer('', 'runs', r);
    const context = new SarifRun(runValue, runPointer, warnings);
    documentId ??= text(record(runValue['automationDetails'])['id']);
    list(runValue['results']).forEach((result, i) => {
      if (isRecord(result)) findings.push(resultToFinding(context, result, pointer(runPointer, 'results', i)));
    });
  });
  return { findings, documentId, formatVersion: '2.1.0', suggestedTlp: 'AMBER' };
};

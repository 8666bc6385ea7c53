import type { FieldIssue } from '../../../platform/errors.js';
import { normalizeRelativePath } from './artifact-path.js';
import { normalizeCwe, sortCwes } from './cwe.js';
import {
  emptyFinding,
  type CodeLocation,
  type CreditPreference,
  type Evidence,
  type Finding,
  type Provenance,
  type Target,
} from './finding.js';
import { throwIfInvalid, type FormatReader } from './format-reader.js';
import { integer, isRecord, list, pointer, record, text, texts, type JsonRecord } from './json-access.js';
import { packageTargetFromPurl } from './package-target.js';
import { ruleFamily } from './rule-family.js';
import { validateNative } from './schema-validators.js';
import { cvssSeverity } from './severity.js';
import { cpeTarget, repositoryTarget } from './targets.js';
import { normalizeVulnerabilityId } from './vulnerability-ids.js';

/**
 * The native format (see `native-schema.ts`) → one finding per `findings[i]` (ref `/findings/i`). Beyond the
 * schema, values are checked for meaning — a purl that does not parse, a path that climbs out of its root, a
 * vector that is not CVSS — and every such problem is reported at once, with its pointer.
 */

/** The finding's target; `at` is the finding's pointer (the target's is made only for an issue: most have none). */
function targetOf(value: JsonRecord, at: string, issues: FieldIssue[]): Target | null {
  if (typeof value['purl'] === 'string') {
    const target = packageTargetFromPurl(value['purl']);
    if (!target) issues.push({ pointer: pointer(at, 'target', 'purl'), detail: 'must be a valid package URL' });
    return target;
  }
  if (isRecord(value['repository'])) {
    const repo = value['repository'];
    const target = repositoryTarget(String(repo['url']), text(repo['commit']));
    if (!target)
      issues.push({ pointer: pointer(at, 'target', 'repository', 'url'), detail: 'must be an http(s), git or ssh repository URL' });
    return target;
  }
  const target = cpeTarget(String(value['cpe']));
  if (!target)
    issues.push({ pointer: pointer(at, 'target', 'cpe'), detail: 'must be a CPE 2.3 string or CPE 2.2 URI with part, vendor and product' });
  return target;
}

/** The primary location; `at` is the finding's pointer, as for {@link targetOf}. */
function locationOf(value: unknown, at: string, issues: FieldIssue[]): CodeLocation | null {
  if (!isRecord(value)) return null;
  const normalized = normalizeRelativePath(String(value['path']));
  if (normalized === null || normalized.escaped || normalized.absolute) {
    issues.push({
      pointer: pointer(at, 'location', 'path'),
      detail: 'must be a relative path inside the target (no leading "/", drive letter or "..")',
    });
    return null;
  }
  return {
    path: normalized.path,
    startLine: integer(value['startLine']),
    endLine: integer(value['endLine']),
    startColumn: null,
    function: text(value['function']),
    symbol: text(value['symbol']),
    lineHash: text(value['lineHash']),
    snippet: null,
  };
}

function provenanceOf(value: unknown): Provenance {
  const p = record(value);
  const ref = (v: unknown) => (isRecord(v) ? { name: String(v['name']), version: text(v['version']) } : null);
  return {
    tool: ref(p['tool']),
    model: ref(p['model']),
    aiGenerated: typeof p['aiGenerated'] === 'boolean' ? p['aiGenerated'] : null,
    campaignId: text(p['campaignId']),
    publisher: null,
  };
}

function creditOf(value: unknown): CreditPreference | null {
  if (!isRecord(value)) return null;
  return { mode: value['mode'] as CreditPreference['mode'], name: text(value['name']), url: text(value['url']) };
}

function evidenceOf(value: unknown): Evidence | null {
  if (!isRecord(value)) return null;
  return {
    proofOfConcept: list(value['proofOfConcept']).map((p) => ({
      sha256: String(record(p)['sha256']),
      name: text(record(p)['name']),
      mediaType: text(record(p)['mediaType']),
    })),
    reproductionSteps: texts(value['reproductionSteps']),
    affectedBuild: text(value['affectedBuild']),
    fixedBuild: text(value['fixedBuild']),
  };
}

function findingOf(doc: JsonRecord, value: JsonRecord, at: string, issues: FieldIssue[]): Finding {
  const target = targetOf(record(value['target']), at, issues);
  const location = locationOf(value['location'], at, issues);
  const vector = text(value['cvssVector']);
  const severity = vector === null ? null : cvssSeverity(vector, 'native');
  if (vector !== null && severity === null)
    issues.push({ pointer: pointer(at, 'cvssVector'), detail: 'must be a CVSS v2, v3.0, v3.1 or v4.0 vector' });
  const ruleId = text(value['ruleId']);
  return {
    ...emptyFinding('native', at),
    title: text(value['title']),
    description: text(value['description']),
    aliases: list(value['aliases']).flatMap((raw, i) => {
      const id = typeof raw === 'string' ? normalizeVulnerabilityId(raw) : null;
      return id === null ? [] : [{ id, source: 'alias' as const, pointer: pointer(at, 'aliases', i) }];
    }),
    targets: target ? [target] : [],
    affected: [
      {
        target,
        ecosystem: null,
        name: null,
        ranges: [],
        versions: texts(value['affectedVersions']),
        fixedVersions: texts(value['fixedVersions']),
        defaultStatus: null,
        source: 'native',
      },
    ],
    cwes: sortCwes(list(value['cwe']).flatMap((c) => normalizeCwe(c) ?? [])),
    locations: location ? [location] : [],
    severities: severity ? [severity] : [],
    rule: ruleId === null ? null : { id: ruleId, name: null, family: ruleFamily(ruleId) },
    evidence: evidenceOf(value['evidence']),
    provenance: provenanceOf(value['provenance'] ?? doc['provenance']),
    credit: creditOf(value['credit'] ?? doc['credit']),
  };
}

/** Reads a native findings document; throws InputError naming every bad field of every finding. */
export const readNative: FormatReader = (doc) => {
  throwIfInvalid('native findings', validateNative(doc));
  const issues: FieldIssue[] = [];
  const findings = list(doc['findings']).map((value, i) => findingOf(doc, record(value), pointer('', 'findings', i), issues));
  throwIfInvalid('native findings', issues);
  return { findings, documentId: null, formatVersion: '1', suggestedTlp: 'AMBER' };
};

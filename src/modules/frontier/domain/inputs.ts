import type { Tlp } from '../../../platform/tlp.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { GRANT_SCOPE_KEYS, type GrantScope } from './grant-rules.js';
import { IR_CAPACITY_KEYS, type IncidentResponseCapacity } from './partner-scoring.js';

/** Checks of the inputs that have no rules of their own beyond their fields. Each throws InputError naming every bad field. */

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly role: string | null;
}

export interface ModelInput {
  readonly name: string;
  readonly version: string;
  readonly plannedRelease: string;
  readonly modality: string;
  readonly computeEstimateFlop: number | null;
  readonly description: string | null;
  readonly contacts: readonly Contact[];
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

function contacts(r: FieldReader, value: unknown): Contact[] {
  return r.list('/contacts', value, 20, (c, at) => {
    const x = (c ?? {}) as Record<string, unknown>;
    const email = typeof x.email === 'string' ? x.email.trim().toLowerCase() : '';
    if (!EMAIL.test(email)) r.add(`${at}/email`, 'must be an email address');
    return { name: r.text(`${at}/name`, x.name, 200), email, role: r.optionalText(`${at}/role`, x.role, 100) };
  });
}

export function parseModelInput(input: Record<string, unknown>): ModelInput {
  const r = new FieldReader();
  const model: ModelInput = {
    name: r.text('/name', input.name, 200),
    version: r.text('/version', input.version, 100),
    plannedRelease: r.dateOrInstant('/plannedRelease', input.plannedRelease),
    modality: r.optionalText('/modality', input.modality, 100) ?? 'text',
    computeEstimateFlop:
      input.computeEstimateFlop === undefined || input.computeEstimateFlop === null
        ? null
        : r.number('/computeEstimateFlop', input.computeEstimateFlop, 0, 1e40),
    description: r.prose('/description', input.description, 20_000),
    contacts: contacts(r, input.contacts),
  };
  r.done();
  return model;
}

/** A partial update of a model; only the fields given change. */
export function parseModelUpdate(input: Record<string, unknown>): Partial<ModelInput> {
  const r = new FieldReader();
  const out: Record<string, unknown> = {};
  if (input.plannedRelease !== undefined) out.plannedRelease = r.dateOrInstant('/plannedRelease', input.plannedRelease);
  if (input.modality !== undefined) out.modality = r.text('/modality', input.modality, 100);
  if (input.computeEstimateFlop !== undefined)
    out.computeEstimateFlop =
      input.computeEstimateFlop === null ? null : r.number('/computeEstimateFlop', input.computeEstimateFlop, 0, 1e40);
  if (input.description !== undefined) out.description = r.prose('/description', input.description, 20_000);
  if (input.contacts !== undefined) out.contacts = contacts(r, input.contacts);
  if (Object.keys(out).length === 0) r.add('', 'names nothing to change');
  r.done();
  return out as Partial<ModelInput>;
}

export interface DeterminationInput {
  readonly covered: boolean;
  readonly determinedByOrgId: string | null;
  readonly determinedAt: Date | null;
  readonly assessmentRef: string;
}

export function parseDetermination(input: Record<string, unknown>): DeterminationInput {
  const r = new FieldReader();
  if (typeof input.covered !== 'boolean') r.add('/covered', 'must be true or false');
  const out = {
    covered: input.covered === true,
    determinedByOrgId: r.optionalText('/determinedByOrgId', input.determinedByOrgId, 64),
    determinedAt: input.determinedAt === undefined ? null : r.instant('/determinedAt', input.determinedAt),
    // An opaque reference only: the assessment may be classified and is never stored here.
    assessmentRef: r.text('/assessmentRef', input.assessmentRef, 500),
  };
  r.done();
  return out;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RISK_STATUSES = ['open', 'acknowledged', 'mitigated', 'disputed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export interface RiskFindingInput {
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly recommendation: string | null;
  readonly evaluationId: string | null;
}

export function parseRiskFinding(input: Record<string, unknown>): RiskFindingInput {
  const r = new FieldReader();
  const out = {
    title: r.text('/title', input.title, 300),
    severity: r.oneOf('/severity', input.severity, SEVERITIES),
    description: r.prose('/description', input.description, 50_000, true) ?? '',
    recommendation: r.prose('/recommendation', input.recommendation, 10_000),
    evaluationId: r.optionalText('/evaluationId', input.evaluationId, 64),
  };
  r.done();
  return out;
}

export function parseRiskStatus(input: Record<string, unknown>): { status: RiskStatus; note: string | null } {
  const r = new FieldReader();
  const out = { status: r.oneOf('/status', input.status, RISK_STATUSES), note: r.prose('/note', input.note, 10_000) };
  r.done();
  return out;
}

export const VULNERABILITY_TLPS = ['RED', 'AMBER+STRICT', 'AMBER'] as const satisfies readonly Tlp[];

export type VulnerabilityTarget =
  { readonly purl: string } | { readonly repository: { readonly url: string; readonly commit: string } } | { readonly cpe: string };

export interface EvidenceInput {
  readonly name: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

export interface VulnerabilityInput {
  readonly title: string;
  readonly description: string;
  readonly target: VulnerabilityTarget | null;
  readonly cwe: readonly string[];
  readonly severity: Severity | null;
  readonly cvssVector: string | null;
  readonly evidence: readonly EvidenceInput[];
  readonly tlp: (typeof VULNERABILITY_TLPS)[number];
  readonly recipientUserIds: readonly string[];
}

export const MAX_EVIDENCE_BYTES = 1024 * 1024;
const CVSS = /^(CVSS:(3\.[01]|4\.0)\/|\(?AV:)[A-Za-z0-9:/.()]{3,400}$/;

function target(r: FieldReader, value: unknown): VulnerabilityTarget | null {
  if (value === undefined || value === null) return null;
  const t = (value ?? {}) as Record<string, unknown>;
  if (typeof t.purl === 'string') return { purl: r.text('/target/purl', t.purl, 1000) };
  if (typeof t.cpe === 'string') return { cpe: r.text('/target/cpe', t.cpe, 1000) };
  const repo = (t.repository ?? null) as Record<string, unknown> | null;
  if (repo !== null && typeof repo === 'object') {
    const commit = typeof repo.commit === 'string' ? repo.commit : '';
    if (!/^[0-9a-fA-F]{7,64}$/.test(commit)) r.add('/target/repository/commit', 'must be a commit hash');
    return { repository: { url: r.text('/target/repository/url', repo.url, 1000), commit } };
  }
  r.add('/target', 'must be one of {purl}, {repository: {url, commit}} or {cpe}');
  return null;
}

function evidence(r: FieldReader, value: unknown): EvidenceInput[] {
  return r.list('/evidence', value, 20, (e, at) => {
    const x = (e ?? {}) as Record<string, unknown>;
    const content = typeof x.contentBase64 === 'string' ? x.contentBase64 : '';
    const bytes = Buffer.from(content, 'base64');
    if (content === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) r.add(`${at}/contentBase64`, 'must be base64');
    else if (bytes.length > MAX_EVIDENCE_BYTES) r.add(`${at}/contentBase64`, `must decode to at most ${MAX_EVIDENCE_BYTES} bytes`);
    return {
      name: r.text(`${at}/name`, x.name, 255),
      mediaType: r.optionalText(`${at}/mediaType`, x.mediaType, 255) ?? 'application/octet-stream',
      bytes,
    };
  });
}

export function parseVulnerability(input: Record<string, unknown>): VulnerabilityInput {
  const r = new FieldReader();
  const cwe = r.list('/cwe', input.cwe, 20, (c, at) => {
    const m = typeof c === 'string' ? /^(?:CWE-)?([1-9]\d{0,5})$/i.exec(c.trim()) : null;
    if (m === null) r.add(at, 'must be a CWE id such as CWE-787');
    return `CWE-${m?.[1] ?? ''}`;
  });
  const cvssVector = r.optionalText('/cvssVector', input.cvssVector, 400);
  if (cvssVector !== null && !CVSS.test(cvssVector)) r.add('/cvssVector', 'must be a CVSS v2, v3.x or v4.0 vector');
  const recipients = r.list('/recipientUserIds', input.recipientUserIds, 50, (u, at) => r.text(at, u, 64));
  const out: VulnerabilityInput = {
    title: r.text('/title', input.title, 500),
    description: r.prose('/description', input.description, 65_536, true) ?? '',
    target: target(r, input.target),
    cwe: [...new Set(cwe)],
    severity: input.severity === undefined ? null : r.oneOf('/severity', input.severity, SEVERITIES),
    cvssVector,
    evidence: evidence(r, input.evidence),
    tlp: r.oneOf('/tlp', input.tlp, VULNERABILITY_TLPS, 'RED'),
    recipientUserIds: recipients,
  };
  r.done();
  return out;
}

export interface NominationInput {
  readonly candidateOrgId: string;
  readonly rationale: string;
  readonly scope: GrantScope;
  readonly vettingCompleted: boolean;
  readonly conflictOfInterestDeclared: boolean;
  readonly incidentResponseCapacity: IncidentResponseCapacity | null;
}

export function parseNomination(input: Record<string, unknown>): NominationInput {
  const r = new FieldReader();
  const out = {
    candidateOrgId: r.text('/candidateOrgId', input.candidateOrgId, 64),
    rationale: r.prose('/rationale', input.rationale, 10_000, true) ?? '',
    scope: r.oneOf('/scope', input.scope, GRANT_SCOPE_KEYS, 'hosted_api'),
    vettingCompleted: r.boolean('/vettingCompleted', input.vettingCompleted, false),
    conflictOfInterestDeclared: r.boolean('/conflictOfInterestDeclared', input.conflictOfInterestDeclared, false),
    incidentResponseCapacity:
      input.incidentResponseCapacity === undefined
        ? null
        : r.oneOf('/incidentResponseCapacity', input.incidentResponseCapacity, IR_CAPACITY_KEYS),
  };
  r.done();
  return out;
}

import { TLP_LABELS, type Tlp } from '../../../platform/tlp.js';
import { ObjectReader } from '../../../platform/input/object-reader.js';
import type { QuotaOverride } from './quota.js';
import { INVALID_REASONS, REPORT_STATES, type InvalidReason, type ReportState } from './report-states.js';

export interface VerdictInput {
  readonly state: Exclude<ReportState, 'received'>;
  readonly reason: InvalidReason | null;
  readonly note: string | null;
  readonly duplicateOf: string | null;
}

const TARGET_STATES = REPORT_STATES.filter((s): s is Exclude<ReportState, 'received'> => s !== 'received');

/** A verdict: `invalid` needs a reason from the fixed list and a note; `duplicate` names the other cluster. */
export function parseVerdict(input: Record<string, unknown>): VerdictInput {
  const r = new ObjectReader(input);
  r.only(['state', 'reason', 'note', 'duplicateOf']);
  const state = r.oneOf('state', TARGET_STATES);
  const invalid = state === 'invalid';
  const reason = invalid ? r.oneOf('reason', INVALID_REASONS) : null;
  if (!invalid && r.has('reason')) r.problem('reason', 'is only given with the state invalid');
  const note = invalid ? r.text('note', 4000, true) : r.optionalText('note', 4000, true);
  const duplicateOf = reason === 'duplicate' ? r.text('duplicateOf', 64) : null;
  if (reason !== 'duplicate' && r.has('duplicateOf')) r.problem('duplicateOf', 'is only given with the reason duplicate');
  r.finish('the verdict is not valid');
  return { state, reason, note, duplicateOf };
}

/** What a validator may say about SSVC decision points while reproducing (read by prioritization). */
export interface ValidatorAssessmentInput {
  readonly automatable: 'yes' | 'no' | null;
  readonly technicalImpact: 'partial' | 'total' | null;
  readonly valueDensity: 'diffuse' | 'concentrated' | null;
  readonly activeExploitation: boolean | null;
}

export interface AttemptInput {
  /** What was run against: a package URL, a repository, an image. */
  readonly artifact: string;
  /** The affected build: version, commit or image digest. */
  readonly affectedBuild: string;
  readonly fixedBuild: string | null;
  /** Where: OS, runtime, configuration, sandbox. */
  readonly environment: string;
  readonly reproducedOnAffected: boolean;
  /** Null when no fixed build was tried. */
  readonly reproducedOnFixed: boolean | null;
  readonly notes: string | null;
  readonly steps: readonly string[];
  readonly assessment: ValidatorAssessmentInput;
}

export function parseAttempt(input: Record<string, unknown>): AttemptInput {
  const r = new ObjectReader(input);
  r.only([
    'artifact',
    'affectedBuild',
    'fixedBuild',
    'environment',
    'reproducedOnAffected',
    'reproducedOnFixed',
    'notes',
    'steps',
    'assessment',
  ]);
  const fixedBuild = r.optionalText('fixedBuild', 500);
  const reproducedOnFixed = r.optionalBoolean('reproducedOnFixed');
  if (fixedBuild !== null && reproducedOnFixed === null) r.problem('reproducedOnFixed', 'is required when a fixedBuild was tried');
  if (fixedBuild === null && reproducedOnFixed !== null) r.problem('reproducedOnFixed', 'needs the fixedBuild it was tried on');
  const a = r.child('assessment');
  a.only(['automatable', 'technicalImpact', 'valueDensity', 'activeExploitation']);
  const parsed: AttemptInput = {
    artifact: r.text('artifact', 500),
    affectedBuild: r.text('affectedBuild', 500),
    fixedBuild,
    environment: r.text('environment', 2000, true),
    reproducedOnAffected: r.boolean('reproducedOnAffected'),
    reproducedOnFixed,
    notes: r.optionalText('notes', 10_000, true),
    steps: r.texts('steps', 10_000, 100),
    assessment: {
      automatable: a.optionalOneOf('automatable', ['yes', 'no']),
      technicalImpact: a.optionalOneOf('technicalImpact', ['partial', 'total']),
      valueDensity: a.optionalOneOf('valueDensity', ['diffuse', 'concentrated']),
      activeExploitation: a.optionalBoolean('activeExploitation'),
    },
  };
  r.finish('the validation attempt is not valid');
  return parsed;
}

/** Reproduced on the affected build, and not on the fixed build when one was tried. */
export function attemptConfirms(attempt: Pick<AttemptInput, 'reproducedOnAffected' | 'reproducedOnFixed'>): boolean {
  return attempt.reproducedOnAffected && attempt.reproducedOnFixed !== true;
}

export const EVIDENCE_KINDS = ['proof_of_concept', 'log', 'reproduction_steps', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceMeta {
  readonly kind: EvidenceKind;
  readonly filename: string;
  /** As the uploader declared it; stored for information, never used to serve the file. */
  readonly mediaType: string | null;
  readonly tlp: Tlp;
  readonly attemptId: string | null;
}

/** Evidence metadata; TLP:RED unless the uploader says otherwise. */
export function parseEvidenceMeta(input: Record<string, unknown>): EvidenceMeta {
  const r = new ObjectReader(input);
  const tlp = r.has('tlp') ? r.oneOf('tlp', TLP_LABELS) : 'RED';
  const meta: EvidenceMeta = {
    kind: r.has('kind') ? r.oneOf('kind', EVIDENCE_KINDS) : 'proof_of_concept',
    filename: r.text('filename', 255),
    mediaType: r.optionalText('mediaType', 255),
    tlp,
    attemptId: r.optionalText('attemptId', 64),
  };
  r.finish('the evidence is not valid');
  return meta;
}

/** A coordinator's quota decision: `dailyLimit` a whole number, or null to exempt; always with a note. */
export function parseQuotaOverride(input: Record<string, unknown>): QuotaOverride {
  const r = new ObjectReader(input);
  r.only(['dailyLimit', 'note']);
  if (!r.has('dailyLimit')) r.problem('dailyLimit', 'is required: a whole number of submissions per 24 hours, or null to exempt');
  const dailyLimit = input.dailyLimit === null || input.dailyLimit === undefined ? null : r.number('dailyLimit', 0, 1_000_000, true);
  const note = r.text('note', 2000, true);
  r.finish('the quota override is not valid');
  return { dailyLimit, note };
}

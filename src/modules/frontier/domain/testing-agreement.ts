import { ConflictError, type FieldIssue } from '../../../platform/errors.js';
import { GRANT_TERM_KEYS, type GrantTerm } from './grant-rules.js';
import { rejectInput } from '../../../platform/input/issues.js';
import { schemaValidator } from '../../../platform/input/json-schema.js';

/**
 * Voluntary testing agreements: the follow-on agreements between a model developer and the government side
 * that shape the program — scope, window, notice before planned releases, confidentiality and use, what
 * review material may be kept and for how long, who may be granted access, contacts. First-class, versioned
 * records: a version is in force once an admin of each side has signed it; changing anything is a new
 * version that needs both signatures again; either side may end the agreement at any time. Ending it ends
 * no review in progress, and nothing — no review, no release — ever waits on an agreement.
 */

export type AgreementSide = 'developer' | 'government';

/** Who may be granted access to a model under review. */
export const GRANTEE_KINDS = {
  agency: 'participating agencies',
  coordinator: 'the clearinghouse coordinator',
  trusted_partner: 'trusted partners selected jointly by both sides',
} as const;
export type GranteeKind = keyof typeof GRANTEE_KINDS;
export const GRANTEE_KIND_KEYS = Object.keys(GRANTEE_KINDS) as GranteeKind[];

/** Kinds of review material an agreement lets the clearinghouse keep after the review. */
export const MATERIAL_KINDS = {
  files: 'review material uploaded by the developer',
  evaluation_logs: 'evaluation logs and benchmark results',
} as const;
export type MaterialKind = keyof typeof MATERIAL_KINDS;
export const MATERIAL_KIND_KEYS = Object.keys(MATERIAL_KINDS) as MaterialKind[];

export interface AgreementContact {
  readonly side: AgreementSide;
  readonly name: string;
  readonly email: string;
  readonly role: string;
}

export interface AgreementTerms {
  /** The models it covers: every model of the developer, families (name prefixes) or named models. */
  readonly scope: { readonly allModels: boolean; readonly families: readonly string[]; readonly models: readonly string[] };
  /** The review window in days: the default a review gets, and the most it may ask for. */
  readonly window: { readonly defaultDays: number; readonly maxDays: number };
  /** Days of notice the developer gives before a planned release. Informational: no release waits on it. */
  readonly releaseNoticeDays: number;
  readonly confidentiality: string;
  readonly useTerms: string;
  /** What review material the clearinghouse may keep after the review closes, and for how many days. */
  readonly retention: { readonly keep: readonly MaterialKind[]; readonly days: number };
  readonly grantees: readonly GranteeKind[];
  /** The protections each grantee acknowledges; the order's six by default. */
  readonly grantTerms: readonly GrantTerm[];
  readonly contacts: readonly AgreementContact[];
}

export const AGREEMENT_LIMITS = Object.freeze({ text: 20_000, names: 100, contacts: 20, retentionDays: 3650, noticeDays: 365 });

const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** JSON Schema (draft-07) of the terms, for the API's request schema and its docs. */
export const AGREEMENT_TERMS_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Voluntary testing agreement terms',
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'window', 'releaseNoticeDays', 'confidentiality', 'useTerms', 'retention', 'grantees', 'contacts'],
  properties: {
    scope: {
      type: 'object',
      additionalProperties: false,
      required: ['allModels'],
      properties: {
        allModels: { type: 'boolean' },
        families: { type: 'array', maxItems: AGREEMENT_LIMITS.names, items: NAME, default: [] },
        models: { type: 'array', maxItems: AGREEMENT_LIMITS.names, items: NAME, default: [] },
      },
    },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['defaultDays', 'maxDays'],
      properties: { defaultDays: { type: 'integer', minimum: 1 }, maxDays: { type: 'integer', minimum: 1 } },
    },
    releaseNoticeDays: { type: 'integer', minimum: 0, maximum: AGREEMENT_LIMITS.noticeDays },
    confidentiality: { type: 'string', minLength: 1, maxLength: AGREEMENT_LIMITS.text },
    useTerms: { type: 'string', minLength: 1, maxLength: AGREEMENT_LIMITS.text },
    retention: {
      type: 'object',
      additionalProperties: false,
      required: ['keep', 'days'],
      properties: {
        keep: { type: 'array', uniqueItems: true, items: { enum: [...MATERIAL_KIND_KEYS] } },
        days: { type: 'integer', minimum: 0, maximum: AGREEMENT_LIMITS.retentionDays },
      },
    },
    grantees: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...GRANTEE_KIND_KEYS] } },
    grantTerms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...GRANT_TERM_KEYS] } },
    contacts: {
      type: 'array',
      minItems: 1,
      maxItems: AGREEMENT_LIMITS.contacts,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['side', 'name', 'email', 'role'],
        properties: {
          side: { enum: ['developer', 'government'] },
          name: NAME,
          email: { type: 'string', format: 'email', maxLength: 320 },
          role: NAME,
        },
      },
    },
  },
} as const;

/**
 * The rules the schema cannot state, against the program policy in force: a default window within the
 * agreement's maximum, that maximum never above the policy's, a scope that names something, and a contact
 * for each side. Returns the issues (empty when the terms hold).
 */
export function checkAgreementTerms(
  terms: AgreementTerms,
  policy: { readonly version: number; readonly windowMaxDays: number },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (terms.window.maxDays > policy.windowMaxDays) {
    issues.push({
      pointer: '/terms/window/maxDays',
      detail: `must be at most ${policy.windowMaxDays} days, the maximum of frontier policy version ${policy.version}`,
    });
  }
  if (terms.window.defaultDays > terms.window.maxDays) {
    issues.push({
      pointer: '/terms/window/defaultDays',
      detail: `must be at most the agreement's maximum of ${terms.window.maxDays} days`,
    });
  }
  if (!terms.scope.allModels && terms.scope.families.length === 0 && terms.scope.models.length === 0) {
    issues.push({ pointer: '/terms/scope', detail: 'must cover all models, or name at least one family or model' });
  }
  for (const side of ['developer', 'government'] as const) {
    if (!terms.contacts.some((c) => c.side === side))
      issues.push({ pointer: '/terms/contacts', detail: `must name at least one ${side} contact` });
  }
  return issues;
}

/** The terms with defaults filled in and lists normalized, as they are stored and signed. */
export function normalizeTerms(terms: AgreementTerms): AgreementTerms {
  const distinct = (names: readonly string[]) => [...new Set(names.map((n) => n.trim()))].sort();
  return {
    ...terms,
    scope: { allModels: terms.scope.allModels, families: distinct(terms.scope.families ?? []), models: distinct(terms.scope.models ?? []) },
    grantTerms: terms.grantTerms === undefined || terms.grantTerms.length === 0 ? [...GRANT_TERM_KEYS] : [...terms.grantTerms],
  };
}

/** Whether the terms cover a model: all models, a named model, or a family its name starts with (case-insensitive). */
export function agreementCovers(scope: AgreementTerms['scope'], model: { readonly name: string }): boolean {
  if (scope.allModels) return true;
  const name = model.name.toLowerCase();
  return scope.models.some((m) => m.toLowerCase() === name) || scope.families.some((f) => name.startsWith(f.toLowerCase()));
}

/**
 * The window a review may have under an agreement and the policy: the agreement's default when none is
 * asked for, and the lower of the two maxima.
 */
export function effectiveWindow(
  terms: AgreementTerms | null,
  policy: { readonly version: number; readonly windowMaxDays: number },
): { readonly defaultDays: number | null; readonly maxDays: number; readonly source: string } {
  if (terms === null) return { defaultDays: null, maxDays: policy.windowMaxDays, source: `frontier policy version ${policy.version}` };
  const maxDays = Math.min(terms.window.maxDays, policy.windowMaxDays);
  const source =
    terms.window.maxDays < policy.windowMaxDays ? 'the voluntary testing agreement' : `frontier policy version ${policy.version}`;
  return { defaultDays: Math.min(terms.window.defaultDays, maxDays), maxDays, source };
}

export const VERSION_STATUSES = ['proposed', 'in_force', 'superseded', 'withdrawn'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
/** An agreement is `proposed` until a version is signed by both sides, then `in_force`; `ended` once either side ended it. */
export const AGREEMENT_STATUSES = ['proposed', 'in_force', 'ended'] as const;

export interface VersionState {
  readonly version: number;
  readonly status: VersionStatus;
  readonly developerSignedAt: string | null;
  readonly governmentSignedAt: string | null;
}

export interface AgreementState {
  readonly endedAt: string | null;
  readonly versions: readonly VersionState[];
}

/** The side an organisation acts for in an agreement between these two organisations, or null. */
export function agreementSideOf(
  orgId: string,
  parties: { readonly developerOrgId: string; readonly governmentOrgId: string },
): AgreementSide | null {
  if (orgId === parties.developerOrgId) return 'developer';
  if (orgId === parties.governmentOrgId) return 'government';
  return null;
}

function refuseEnded(state: AgreementState): void {
  if (state.endedAt !== null)
    throw new ConflictError(`the agreement ended at ${state.endedAt}; propose a new agreement instead`, { code: 'agreement-ended' });
}

/** The version in force, or null while none is signed by both sides (or after the agreement ended). */
export function versionInForce(state: AgreementState): number | null {
  if (state.endedAt !== null) return null;
  return state.versions.find((v) => v.status === 'in_force')?.version ?? null;
}

/**
 * A new version: the next number; an earlier proposal that neither side completed is withdrawn (only the
 * latest proposal can be signed). The version in force stays in force until the new one is signed by both.
 */
export function planProposal(state: AgreementState): { readonly version: number; readonly withdraws: readonly number[] } {
  refuseEnded(state);
  const latest = Math.max(0, ...state.versions.map((v) => v.version));
  return { version: latest + 1, withdraws: state.versions.filter((v) => v.status === 'proposed').map((v) => v.version) };
}

/**
 * One side's signature on a version. Only a proposed version can be signed, each side once; the second
 * signature puts it in force and supersedes the version in force before it.
 */
export function planSignature(
  state: AgreementState,
  version: number,
  side: AgreementSide,
): { readonly inForce: boolean; readonly supersedes: number | null } {
  refuseEnded(state);
  const target = state.versions.find((v) => v.version === version);
  if (target === undefined) throw new ConflictError(`the agreement has no version ${version}`, { code: 'no-such-version' });
  if (target.status !== 'proposed') {
    throw new ConflictError(`version ${version} is ${target.status.replace('_', ' ')}; only a proposed version can be signed`, {
      code: 'version-not-proposed',
    });
  }
  const signedAt = side === 'developer' ? target.developerSignedAt : target.governmentSignedAt;
  if (signedAt !== null)
    throw new ConflictError(`the ${side} side signed version ${version} already, at ${signedAt}`, { code: 'signed-already' });
  const other = side === 'developer' ? target.governmentSignedAt : target.developerSignedAt;
  if (other === null) return { inForce: false, supersedes: null };
  return { inForce: true, supersedes: state.versions.find((v) => v.status === 'in_force')?.version ?? null };
}

/** Ending the agreement: either side, once. Reviews in progress keep running under the version they recorded. */
export function planEnd(state: AgreementState): void {
  refuseEnded(state);
}

const validateShape = schemaValidator('draft-07', AGREEMENT_TERMS_SCHEMA, {
  strict: false,
  useDefaults: true,
  withFormats: ['email'],
  at: '/terms',
});

/**
 * Reads proposed terms: the schema first (every field named with the rule it broke), then the rules
 * against the policy in force. Throws InputError naming every issue; answers the normalized terms.
 */
export function readAgreementTerms(input: unknown, policy: { readonly version: number; readonly windowMaxDays: number }): AgreementTerms {
  const copy = structuredClone(input ?? null);
  const shapeIssues = validateShape(copy);
  if (shapeIssues.length > 0) rejectInput('the terms are not valid', shapeIssues);
  const terms = normalizeTerms(copy as AgreementTerms);
  const issues = checkAgreementTerms(terms, policy);
  if (issues.length > 0) {
    rejectInput("the terms break the program's rules", issues, { code: 'unprocessable' });
  }
  return terms;
}

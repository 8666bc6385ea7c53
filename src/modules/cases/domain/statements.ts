import { ConflictError, InputError, type FieldIssue } from '../../../platform/errors.js';
import { readProductRef, type ProductRef } from './product-ref.js';

/**
 * Vendor statements: per vulnerability × vendor × product, what the vendor says about it — the four VEX
 * statuses (CISA's "Minimum Requirements for VEX"), with what each requires — and the coordinator's approval
 * that must come before anything is published.
 */

export const STATEMENT_STATUSES = ['under_investigation', 'affected', 'not_affected', 'fixed'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/**
 * The VEX justifications of CSAF 2.0 §3.2.3.5 (the `label` of a flag), the fixed list a `not_affected`
 * statement must pick from.
 */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/** CSAF 2.0 product status (§3.2.3.9) a statement becomes in an advisory. */
export const CSAF_STATUS_OF: Readonly<Record<StatementStatus, 'under_investigation' | 'known_affected' | 'known_not_affected' | 'fixed'>> =
  Object.freeze({
    under_investigation: 'under_investigation',
    affected: 'known_affected',
    not_affected: 'known_not_affected',
    fixed: 'fixed',
  });

/** Where a statement came from: typed in, or read from a CSAF VEX or CycloneDX VEX document. */
export const STATEMENT_SOURCES = ['typed', 'csaf_vex', 'cyclonedx_vex'] as const;

/** What a statement says, as typed in or read from a VEX document. */
export interface StatementContent {
  readonly status: StatementStatus;
  readonly product: ProductRef;
  /** `not_affected` only, and required there. */
  readonly justification: VexJustification | null;
  /** `not_affected`: why, in prose (VEX "impact statement"). */
  readonly impactStatement: string | null;
  /** `affected`: what users should do (VEX "action statement"). */
  readonly actionStatement: string | null;
  /** `fixed`: the versions that carry the fix (at least one). */
  readonly fixedVersions: readonly string[];
  /** `fixed`: where to get them — a URL, or `fixText` when the vendor gave no URL. */
  readonly fixUrl: string | null;
  readonly fixText: string | null;
  /** The vendor's statement in its own words, shown with the status. */
  readonly text: string | null;
  /** Whether the vendor agrees that other participants see it before publication. */
  readonly shareBeforePublication: boolean;
}

export const MAX_STATEMENT_TEXT = 10_000;
const MAX_VERSIONS = 100;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function prose(issues: FieldIssue[], pointer: string, value: unknown, max = MAX_STATEMENT_TEXT): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    issues.push({ pointer, detail: 'must be text' });
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length > max) issues.push({ pointer, detail: `must be at most ${max} characters` });
  if (/\p{Cc}/u.test(trimmed.replace(/[\n\r\t]/g, '')))
    issues.push({ pointer, detail: 'must not contain control characters other than line breaks and tabs' });
  return trimmed === '' ? null : trimmed;
}

/** The raw fields of a statement as the API and CLI take them. */
export interface StatementInput {
  readonly status?: unknown;
  readonly product?: unknown;
  readonly justification?: unknown;
  readonly impactStatement?: unknown;
  readonly actionStatement?: unknown;
  readonly fixedVersions?: unknown;
  readonly fixUrl?: unknown;
  readonly fixText?: unknown;
  readonly text?: unknown;
  readonly shareBeforePublication?: unknown;
}

/**
 * Reads a statement and checks what its status requires: `not_affected` a justification from
 * {@link VEX_JUSTIFICATIONS}; `fixed` at least one fixed version and where to get it (`fixUrl`, an http(s)
 * URL, or `fixText`). Fields another status does not use are refused rather than silently dropped.
 *
 * @throws InputError naming every bad field by JSON pointer.
 */
export function readStatement(input: StatementInput): StatementContent {
  const issues: FieldIssue[] = [];
  const status = input.status;
  if (typeof status !== 'string' || !(STATEMENT_STATUSES as readonly string[]).includes(status))
    issues.push({ pointer: '/status', detail: `must be one of ${STATEMENT_STATUSES.join(', ')}` });
  const product = readProductRef(input.product, '/product', issues);
  let justification: VexJustification | null = null;
  if (input.justification !== undefined && input.justification !== null) {
    if (typeof input.justification !== 'string' || !(VEX_JUSTIFICATIONS as readonly string[]).includes(input.justification))
      issues.push({ pointer: '/justification', detail: `must be one of ${VEX_JUSTIFICATIONS.join(', ')}` });
    else justification = input.justification as VexJustification;
  }
  let fixedVersions: string[] = [];
  if (input.fixedVersions !== undefined && input.fixedVersions !== null) {
    const list = input.fixedVersions;
    if (
      !Array.isArray(list) ||
      list.length > MAX_VERSIONS ||
      !list.every((v) => typeof v === 'string' && v.trim() !== '' && v.length <= 200)
    )
      issues.push({ pointer: '/fixedVersions', detail: `must be a list of at most ${MAX_VERSIONS} versions, each 1 to 200 characters` });
    else fixedVersions = [...new Set(list.map((v: string) => v.trim()))];
  }
  let fixUrl: string | null = null;
  if (input.fixUrl !== undefined && input.fixUrl !== null) {
    if (typeof input.fixUrl !== 'string' || input.fixUrl.length > 2000 || !isHttpUrl(input.fixUrl))
      issues.push({ pointer: '/fixUrl', detail: 'must be an http or https URL of at most 2000 characters' });
    else fixUrl = input.fixUrl;
  }
  const content: StatementContent = {
    status: status as StatementStatus,
    product,
    justification,
    impactStatement: prose(issues, '/impactStatement', input.impactStatement),
    actionStatement: prose(issues, '/actionStatement', input.actionStatement),
    fixedVersions,
    fixUrl,
    fixText: prose(issues, '/fixText', input.fixText, 2000),
    text: prose(issues, '/text', input.text),
    shareBeforePublication: input.shareBeforePublication === undefined ? false : input.shareBeforePublication === true,
  };
  if (input.shareBeforePublication !== undefined && typeof input.shareBeforePublication !== 'boolean')
    issues.push({ pointer: '/shareBeforePublication', detail: 'must be true or false' });
  if (issues.length === 0) issues.push(...statusRequirements(content));
  if (issues.length > 0)
    throw new InputError(`The statement is not valid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return content;
}

function statusRequirements(s: StatementContent): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const unused = (pointer: string, present: boolean) => {
    if (present) issues.push({ pointer, detail: `is not used by a ${s.status} statement` });
  };
  if (s.status === 'not_affected') {
    if (s.justification === null)
      issues.push({ pointer: '/justification', detail: `is required for not_affected: one of ${VEX_JUSTIFICATIONS.join(', ')}` });
  } else {
    unused('/justification', s.justification !== null);
    unused('/impactStatement', s.impactStatement !== null);
  }
  if (s.status === 'fixed') {
    if (s.fixedVersions.length === 0)
      issues.push({ pointer: '/fixedVersions', detail: 'is required for fixed: at least one version that carries the fix' });
    if (s.fixUrl === null && s.fixText === null)
      issues.push({ pointer: '/fixUrl', detail: 'is required for fixed: where to get the fixed versions (or fixText)' });
  } else {
    unused('/fixedVersions', s.fixedVersions.length > 0);
    unused('/fixUrl', s.fixUrl !== null);
    unused('/fixText', s.fixText !== null);
  }
  if (s.status !== 'affected') unused('/actionStatement', s.actionStatement !== null);
  return issues;
}

/** JSON with keys in sorted order: a statement read back from PostgreSQL's jsonb has its keys reordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Whether two statements say the same thing (a re-submitted VEX document changes nothing), whatever their keys' order. */
export function sameStatement(a: StatementContent, b: StatementContent): boolean {
  return canonical(a) === canonical(b);
}

/** Where a statement stands with the coordinator: every new version starts `pending`. */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/**
 * The approval after a coordinator's decision. Only a pending version is decided; deciding it again, or
 * an older version, is a conflict (the vendor may have changed it in between).
 *
 * @throws ConflictError `statement-already-decided`, `statement-version-changed`.
 */
export function decideApproval(
  current: { readonly approval: ApprovalState; readonly version: number },
  decision: { readonly approve: boolean; readonly version: number },
): ApprovalState {
  if (decision.version !== current.version)
    throw new ConflictError(`the statement is at version ${current.version}, not ${decision.version}: read it again before deciding`, {
      code: 'statement-version-changed',
    });
  if (current.approval !== 'pending')
    throw new ConflictError(`version ${current.version} of the statement is already ${current.approval}`, {
      code: 'statement-already-decided',
    });
  return decision.approve ? 'approved' : 'rejected';
}

/**
 * Cases: coordinated disclosure of validated vulnerabilities — participants (reporter, vendor, coordinator,
 * observer), vendor statements (VEX statuses) with coordinator approval, the embargo as a state machine,
 * discussion with a private channel per participant, CVE ids from CNA blocks, CVE JSON 5.1 records and the
 * case timeline (DESIGN §3, issue 15). See README.md.
 *
 * Emits the events in ./events.ts; notify and advisories consume them. Consumes intake's
 * `intake.vex.submitted`, validation's `validation.cluster.accepted.v2` and scoring's `scoring.decision.changed`
 * (a case opened by policy).
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { disclosurePolicy } from './migrations/0002-disclosure-policy.js';
import { firstReport } from './migrations/0003-first-report.js';

export {
  CASE_OPENED,
  EMBARGO_CHANGED,
  EMBARGO_REMINDER,
  PARTICIPANT_ADDED,
  STATEMENT_CHANGED,
  type CaseOpenedPayload,
  type EmbargoChangedPayload,
  type EmbargoReminderPayload,
  type ParticipantAddedPayload,
  type StatementChangedPayload,
} from './events.js';
export { formatCaseNumber, parseCaseNumber, type CaseNumber } from './domain/case-id.js';
export {
  DEFAULT_DISCLOSURE_POLICY,
  PRIORITY_LEVELS,
  type CnaIdentity,
  type DisclosurePolicy,
  type PriorityLevel,
} from './domain/disclosure-policy.js';
export {
  getDisclosurePolicy,
  listDisclosurePolicyVersions,
  updateDisclosurePolicy,
  type DisclosurePolicyVersion,
} from './service/disclosure-policy.js';
export {
  EMBARGO_EXIT_REASONS,
  EMBARGO_STATES,
  type Embargo,
  type EmbargoExitReason,
  type EmbargoState,
  type EmbargoStep,
} from './domain/embargo.js';
export { PARTICIPANT_ROLES, type ParticipantRole } from './domain/participants.js';
export { productKey, productLabel, type ProductRef } from './domain/product-ref.js';
export {
  CSAF_STATUS_OF,
  STATEMENT_STATUSES,
  VEX_JUSTIFICATIONS,
  type ApprovalState,
  type StatementContent,
  type StatementStatus,
  type VexJustification,
} from './domain/statements.js';
export { VEX_STATUS_OF_CSAF } from './domain/vex-statements.js';
export type { CaseDetail, CaseParticipant, CaseSummary, CaseVulnerability, EmbargoView, Statement, TimelineStep } from './presenters.js';
export { casesRetention } from './store/retention.js';
export { caseTimeline, getCase, listCases, openCase, type CaseQuery, type OpenCaseInput } from './service/cases.js';
export { openCaseByPolicy, type PolicyOpening } from './service/auto-open.js';
export {
  addParticipant,
  declareVendorScopes,
  declineParticipant,
  listVendorScopes,
  proposeVendor,
  suggestCaseVendors,
  type AddParticipantInput,
  type VendorScopes,
} from './service/participants.js';
export { EMBARGO_REQUESTS, moveEmbargo, sweepEmbargoes, type EmbargoRequest } from './service/embargo.js';
export {
  applyVexStatements,
  decideStatement,
  listStatements,
  setStatement,
  type SetStatementInput,
  type VexApplication,
} from './service/statements.js';
export { createPost, listPosts, MAX_POST_CHARS, type Post } from './service/posts.js';
export { addCnaBlock, listCveIds, moveCveId, reserveCveIds, setCveQuota, DEFAULT_CVE_QUOTA, type CveId } from './service/cve-ids.js';
export { cveCnaContainer, cveRecord, type CveAffectedProduct, type CveRecordSource } from './domain/cve-record.js';
export { caseReadableBy } from './readable-cases.js';
export { organisationReader } from './service/access.js';
export { casesRoutes } from './routes.js';
export { registerCasesCommands } from './commands.js';
export { casesConsumers, type CasesBackgroundDeps } from './consumers.js';
export { casesJobs, casesSchedules, EMBARGO_SWEEP_JOB } from './jobs.js';

export const casesMigrations: ModuleMigrations = { module: 'cases', migrations: [init, disclosurePolicy, firstReport] };

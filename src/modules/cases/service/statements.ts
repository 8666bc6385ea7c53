import type { Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { productKey } from '../domain/product-ref.js';
import {
  decideApproval,
  type ApprovalState,
  readStatement,
  sameStatement,
  type StatementContent,
  type StatementInput,
} from '../domain/statements.js';
import { STATEMENT_CHANGED, type StatementChangedPayload } from '../events.js';
import { presentStatement, type Statement } from '../presenters.js';
import { vulnerabilitiesOf } from '../store/cases.js';
import { participantsOf, vendorCaseIds } from '../store/participants.js';
import { findStatement, findStatementByKey, insertStatement, statementsOf, updateStatement } from '../store/statements.js';
import type { CaseRow, StatementRow } from '../store/tables.js';
import { organisationReader, readableCase } from './access.js';
import { lockCase } from './embargo.js';
import { recordStep } from './timeline.js';
import { vulnerabilitiesAsSeen } from './vulnerabilities.js';

type Source = StatementRow['source'] & ('typed' | 'csaf_vex' | 'cyclonedx_vex');

async function announce(ctx: ServiceContext, trx: Executor, row: CaseRow, s: StatementRow, action: string, diff: unknown): Promise<void> {
  const payload: StatementChangedPayload = {
    caseId: row.id,
    number: row.number,
    statementId: s.id,
    vendorOrgId: s.vendor_org_id,
    vulnerabilityId: s.cluster_id,
    status: s.status as StatementChangedPayload['status'],
    approval: s.approval as StatementChangedPayload['approval'],
    version: s.version,
    source: s.source as Source,
    at: s.updated_at,
  };
  await ctx.events.emit(trx, { type: STATEMENT_CHANGED, subjectId: s.id, orgId: s.vendor_org_id, payload });
  await recordStep(trx, ctx.actor, {
    caseId: row.id,
    kind: action === 'cases.statement.decide' ? 'statement.decided' : 'statement.changed',
    at: s.updated_at,
    audienceOrgId: s.vendor_org_id,
    data: { statementId: s.id, clusterId: s.cluster_id, status: s.status, approval: s.approval, version: s.version },
  });
  await ctx.audit.record(trx, ctx.actor, { action, subject: { type: 'statement', id: s.id }, orgId: s.vendor_org_id, diff });
}

/**
 * Stores one statement in the caller's transaction (the case locked): a new one at version 1, a changed one
 * as the next version, both pending approval; the same content again changes nothing. Answers the row and
 * whether it changed.
 */
async function upsertStatement(
  ctx: ServiceContext,
  trx: Executor,
  row: CaseRow,
  key: { vendorOrgId: string; clusterId: string },
  content: StatementContent,
  source: Source,
  actor: Actor,
): Promise<{ statement: StatementRow; changed: boolean }> {
  const at = ctx.clock.now().toISOString();
  const product = productKey(content.product);
  const existing = await findStatementByKey(trx, { caseId: row.id, ...key, productKey: product });
  if (existing !== undefined && sameStatement(JSON.parse(existing.content) as StatementContent, content))
    return { statement: existing, changed: false };
  const fields = {
    status: content.status,
    content: JSON.stringify(content),
    share_before_publication: content.shareBeforePublication ? 1 : 0,
    approval: 'pending',
    source,
    created_by: actor.kind === 'user' ? actor.userId : null,
    decided_by: null,
    decided_at: null,
    updated_at: at,
  };
  if (existing !== undefined) {
    const next: StatementRow = { ...existing, ...fields, version: existing.version + 1 };
    await updateStatement(trx, existing.id, next);
    await announce(ctx, trx, row, next, 'cases.statement.set', { status: [existing.status, next.status], version: next.version, source });
    return { statement: next, changed: true };
  }
  const created: StatementRow = {
    id: newId('stm'),
    case_id: row.id,
    vendor_org_id: key.vendorOrgId,
    cluster_id: key.clusterId,
    product_key: product,
    version: 1,
    created_at: at,
    ...fields,
  };
  await insertStatement(trx, created);
  await announce(ctx, trx, row, created, 'cases.statement.set', { status: created.status, version: 1, source });
  return { statement: created, changed: true };
}

export interface SetStatementInput extends StatementInput {
  /** The vulnerability: one of the case's clusters. */
  readonly clusterId?: unknown;
  /** The vendor the statement is for: the caller's organisation by default (coordinators may name one). */
  readonly vendorOrgId?: unknown;
}

/**
 * A vendor states its status for one vulnerability of the case and one product: `under_investigation`,
 * `affected`, `not_affected` (with a justification from CSAF's list) or `fixed` (with versions and where to
 * get them). Each change is a new version awaiting a coordinator's approval; the same statement again
 * changes nothing. Audited `cases.statement.set`; emits `cases.statement.changed`.
 *
 * @throws InputError naming every bad field, `/clusterId` (not a vulnerability of the case) and
 *   `/vendorOrgId` (not a vendor taking part).
 */
export async function setStatement(ctx: ServiceContext, idOrNumber: string, input: SetStatementInput): Promise<Statement> {
  const access = await readableCase(ctx, idOrNumber);
  const vendorOrgId = input.vendorOrgId ?? access.orgId;
  if (typeof vendorOrgId !== 'string')
    throw new InputError('name the vendor', [{ pointer: '/vendorOrgId', detail: 'is required when acting as the system' }]);
  authorize(ctx.actor, 'cases.statement.write', { ownerOrgId: vendorOrgId });
  const content = readStatement(input);
  if (!access.participants.some((p) => p.org_id === vendorOrgId && p.role === 'vendor' && p.state === 'active'))
    throw new InputError('the statement is for no vendor of the case', [
      { pointer: '/vendorOrgId', detail: 'must be a vendor taking part in the case' },
    ]);
  const clusterId = input.clusterId;
  const vulnerabilities = await vulnerabilitiesOf(ctx.db.kysely, access.row.id);
  if (typeof clusterId !== 'string' || !vulnerabilities.some((v) => v.cluster_id === clusterId))
    throw new InputError('the statement names no vulnerability of the case', [
      { pointer: '/clusterId', detail: `must be one of ${vulnerabilities.map((v) => v.cluster_id).join(', ')}` },
    ]);
  const stored = await withTransaction(
    ctx.db,
    async (trx) => {
      const row = await lockCase(ctx, trx, access.row.id);
      return (await upsertStatement(ctx, trx, row, { vendorOrgId, clusterId }, content, 'typed', ctx.actor)).statement;
    },
    { replayOnUniqueViolation: true },
  );
  return presentStatement(stored);
}

/**
 * A coordinator approves or rejects the current version of a statement (`version` must be it, or the vendor
 * changed it in between). Audited `cases.statement.decide`; emits `cases.statement.changed`.
 *
 * @throws ConflictError `statement-version-changed`, `statement-already-decided`.
 * @throws NotFoundError for a statement of a case the caller cannot read.
 */
export async function decideStatement(
  ctx: ServiceContext,
  statementId: string,
  input: { approve?: unknown; version?: unknown },
): Promise<Statement> {
  const found = await findStatement(ctx.db.kysely, statementId);
  const access = found === undefined ? null : await readableCase(ctx, found.case_id).catch(() => null);
  if (found === undefined || access === null || !(access.coordinator || access.orgId === found.vendor_org_id))
    throw new NotFoundError(`no statement ${statementId}`);
  authorize(ctx.actor, 'cases.statement.approve');
  const issues = [];
  if (typeof input.approve !== 'boolean') issues.push({ pointer: '/approve', detail: 'must be true or false' });
  if (typeof input.version !== 'number' || !Number.isInteger(input.version))
    issues.push({ pointer: '/version', detail: 'must be the version decided on' });
  if (issues.length > 0) throw new InputError('the decision is not valid', issues);
  const decided = await withTransaction(ctx.db, async (trx) => {
    const row = await lockCase(ctx, trx, found.case_id);
    const current = (await findStatement(trx, statementId))!;
    const approval = decideApproval(
      { approval: current.approval as ApprovalState, version: current.version },
      { approve: input.approve as boolean, version: input.version as number },
    );
    const at = ctx.clock.now().toISOString();
    const next: StatementRow = {
      ...current,
      approval,
      decided_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      decided_at: at,
      updated_at: at,
    };
    await updateStatement(trx, current.id, next);
    await announce(ctx, trx, row, next, 'cases.statement.decide', { approval: ['pending', approval], version: next.version });
    return next;
  });
  return presentStatement(decided);
}

/**
 * The case's statements the reader may see: coordinators all; a vendor its own, and any other only once a
 * coordinator approved it and either its vendor consented to share it before publication or the case was
 * disclosed. Never another vendor's before then.
 */
export async function listStatements(ctx: ServiceContext, idOrNumber: string): Promise<Statement[]> {
  const access = await readableCase(ctx, idOrNumber);
  const reader = access.coordinator
    ? ({ all: true } as const)
    : { all: false as const, orgId: access.orgId ?? '', disclosed: access.row.disclosed_at !== null };
  return (await statementsOf(ctx.db.kysely, access.row.id, reader)).map(presentStatement);
}

export interface VexApplication {
  readonly applied: number;
  readonly unchanged: number;
  /** Statements naming no vulnerability of the vendor's cases. */
  readonly unmatched: number;
}

/**
 * Applies statements read from a vendor's VEX document to that vendor's cases: each goes to every case in
 * which the vendor takes part and one of whose vulnerabilities carries one of its ids — an alias named by a
 * report the vendor organisation as a whole may read, so that a statement taken or not never tells it an id
 * only a hidden report (a TLP:RED one, say) names. Runs as the system on the vendor's behalf (intake's
 * `intake.vex.submitted`).
 */
export async function applyVexStatements(
  ctx: ServiceContext,
  input: { vendorOrgId: string; source: Source; statements: readonly { vulnerabilityIds: readonly string[]; content: StatementContent }[] },
): Promise<VexApplication> {
  const result = { applied: 0, unchanged: 0, unmatched: 0 };
  const caseIds = await vendorCaseIds(ctx.db.kysely, input.vendorOrgId);
  const targets: { caseId: string; clusterId: string; ids: Set<string> }[] = [];
  const vendor = caseIds.length === 0 ? ctx : asActor(ctx, await organisationReader(ctx, input.vendorOrgId));
  for (const caseId of caseIds)
    for (const v of await vulnerabilitiesAsSeen(vendor, await vulnerabilitiesOf(ctx.db.kysely, caseId)))
      targets.push({ caseId, clusterId: v.clusterId, ids: new Set(v.aliases.map((a) => a.toUpperCase())) });
  for (const statement of input.statements) {
    const ids = statement.vulnerabilityIds.map((i) => i.toUpperCase());
    const matching = targets.filter((target) => ids.some((id) => target.ids.has(id)));
    if (matching.length === 0) result.unmatched += 1;
    for (const target of matching) {
      const changed = await withTransaction(
        ctx.db,
        async (trx) => {
          const row = await lockCase(ctx, trx, target.caseId);
          const stillVendor = (await participantsOf(trx, row.id)).some(
            (p) => p.org_id === input.vendorOrgId && p.role === 'vendor' && p.state === 'active',
          );
          if (!stillVendor) return false;
          return (
            await upsertStatement(
              ctx,
              trx,
              row,
              { vendorOrgId: input.vendorOrgId, clusterId: target.clusterId },
              statement.content,
              input.source,
              ctx.actor,
            )
          ).changed;
        },
        { replayOnUniqueViolation: true },
      );
      if (changed) result.applied += 1;
      else result.unchanged += 1;
    }
  }
  return result;
}

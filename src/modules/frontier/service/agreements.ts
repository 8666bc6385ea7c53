import { authorize } from '../../identity/index.js';
import { describeActor, type Actor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { isGovernmentKind } from '../domain/program-roles.js';
import {
  agreementCovers,
  agreementSideOf,
  planEnd,
  planProposal,
  planSignature,
  readAgreementTerms,
  versionInForce,
  type AgreementSide,
  type AgreementState,
  type AgreementTerms,
} from '../domain/testing-agreement.js';
import {
  endAgreementRow,
  findAgreement,
  findVersion,
  inForceVersionsOf,
  insertAgreement,
  insertVersion,
  pageAgreements,
  runningAgreementBetween,
  updateVersion,
  versionsOf,
  type AgreementRow,
  type AgreementVersionRow,
} from '../store/agreements.js';
import { presentAgreement, versionStatus, type Agreement } from '../presenters.js';
import { currentPolicy, orgById } from './records.js';

function stateOf(row: AgreementRow, versions: readonly AgreementVersionRow[]): AgreementState {
  return {
    endedAt: row.ended_at,
    versions: versions.map((v) => ({
      version: v.version,
      status: versionStatus(v),
      developerSignedAt: v.developer_signed_at,
      governmentSignedAt: v.government_signed_at,
    })),
  };
}

/** The parties, the coordinator's members and the local operator see an agreement; anyone else gets 404. */
function maySee(actor: Actor, row: AgreementRow): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return actor.orgKind === 'coordinator' || actor.orgId === row.developer_org_id || actor.orgId === row.government_org_id;
}

async function load(ctx: ServiceContext, executor: Executor, id: string): Promise<AgreementRow> {
  const row = await findAgreement(executor, id);
  if (row === undefined || !maySee(ctx.actor, row)) throw new NotFoundError(`no voluntary testing agreement ${id}`);
  return row;
}

/** The side the actor signs for; an admin of a party only (the permission table), NotAllowed otherwise. */
function sideFor(ctx: ServiceContext, row: AgreementRow): { side: AgreementSide; orgId: string } {
  const actor = ctx.actor;
  if (actor.kind !== 'user') throw new NotAllowedError('an agreement binds an organisation: sign in as an admin of one of its parties');
  const side = agreementSideOf(actor.orgId, { developerOrgId: row.developer_org_id, governmentOrgId: row.government_org_id });
  if (side === null) throw new NotAllowedError('only admins of the two parties act on an agreement');
  authorize(actor, 'frontier.agreement.manage', { ownerOrgId: actor.orgId });
  return { side, orgId: actor.orgId };
}

function text(value: unknown, pointer: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (required) throw new InputError(`${pointer} is required`, [{ pointer, detail: 'is required' }]);
    return null;
  }
  if (typeof value !== 'string' || value.length > max || /\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ''))) {
    throw new InputError(`${pointer} must be text of at most ${max} characters`, [
      { pointer, detail: `must be text of at most ${max} characters` },
    ]);
  }
  return value.trim();
}

async function withVersions(executor: Executor, row: AgreementRow): Promise<Agreement> {
  const versions = await versionsOf(executor, [row.id]);
  return presentAgreement(row, versions, versionInForce(stateOf(row, versions)));
}

/**
 * Proposes terms: a new agreement with the counterparty (a developer proposes to an agency or the
 * coordinator, and the other way round), or, with `agreementId`, a new version of a running one. Nobody
 * has signed a new version yet; the version in force stays in force until both sides sign the new one.
 */
export async function proposeAgreement(
  ctx: ServiceContext,
  input: { agreementId?: unknown; counterpartyOrgId?: unknown; title?: unknown; terms?: unknown; note?: unknown },
): Promise<Agreement> {
  const actor = ctx.actor;
  // New terms for an agreement the actor may not see answer 404 before anything else, so that its existence does not leak.
  if (input.agreementId !== undefined) await load(ctx, ctx.db.kysely, String(input.agreementId));
  if (actor.kind !== 'user') throw new NotAllowedError('an agreement binds an organisation: sign in as an admin of one of its parties');
  authorize(actor, 'frontier.agreement.manage', { ownerOrgId: actor.orgId });
  const policy = await currentPolicy(ctx.db.kysely);
  const terms = readAgreementTerms(input.terms, policy);
  const note = text(input.note, '/note', 2000, false);
  const now = ctx.clock.now().toISOString();
  return withTransaction(ctx.db, async (trx) => {
    let row: AgreementRow;
    if (input.agreementId !== undefined) {
      row = await load(ctx, trx, String(input.agreementId));
      sideFor(ctx, row);
      await serializeOn(trx, ctx.db.caps, `frontier.agreement:${row.id}`);
    } else {
      const counterpartyId = text(input.counterpartyOrgId, '/counterpartyOrgId', 64, true) as string;
      const counterparty = await orgById(ctx, trx, counterpartyId).catch(() => null);
      const developerSide = actor.orgKind === 'model_developer';
      if (!developerSide && !isGovernmentKind(actor.orgKind))
        throw new NotAllowedError('agreements are between a model developer and an agency or the coordinator');
      if (counterparty === null || (developerSide ? !isGovernmentKind(counterparty.kind) : counterparty.kind !== 'model_developer')) {
        throw new InputError('the counterparty must be ' + (developerSide ? 'an agency or the coordinator' : 'a model developer'), [
          {
            pointer: '/counterpartyOrgId',
            detail: developerSide ? 'must name an agency or the coordinator' : 'must name a model developer',
          },
        ]);
      }
      const developerOrgId = developerSide ? actor.orgId : counterparty.id;
      const governmentOrgId = developerSide ? counterparty.id : actor.orgId;
      await serializeOn(trx, ctx.db.caps, `frontier.agreement:${developerOrgId}:${governmentOrgId}`);
      const running = await runningAgreementBetween(trx, developerOrgId, governmentOrgId);
      if (running !== undefined) {
        throw new ConflictError(`agreement ${running.id} between these organisations is running; propose a new version of it`, {
          code: 'agreement-exists',
        });
      }
      row = {
        id: newId('agreement'),
        developer_org_id: developerOrgId,
        government_org_id: governmentOrgId,
        title: text(input.title, '/title', 200, false) ?? 'Voluntary testing agreement',
        created_by: describeActor(actor),
        created_at: now,
        ended_at: null,
        ended_by: null,
        ended_by_org_id: null,
        end_reason: null,
      };
      await insertAgreement(trx, row);
    }
    const plan = planProposal(stateOf(row, await versionsOf(trx, [row.id])));
    for (const version of plan.withdraws) await updateVersion(trx, row.id, version, { status: 'withdrawn', closed_at: now });
    await insertVersion(trx, {
      agreement_id: row.id,
      version: plan.version,
      terms: JSON.stringify(terms),
      note,
      status: 'proposed',
      proposed_by: actor.userId,
      proposed_by_org_id: actor.orgId,
      proposed_at: now,
      policy_version: policy.version,
      developer_signed_by: null,
      developer_signed_at: null,
      government_signed_by: null,
      government_signed_at: null,
      in_force_at: null,
      closed_at: null,
    });
    await ctx.audit.record(trx, actor, {
      action: 'frontier.agreement.propose',
      subject: { type: 'agreement', id: row.id },
      orgId: actor.orgId,
      diff: { version: plan.version, withdrawn: plan.withdraws, terms },
    });
    return withVersions(trx, row);
  });
}

/**
 * One side's signature on a proposed version (an admin of that party). The second signature puts the
 * version in force and closes the version before it. Signing the same version twice, or a withdrawn or
 * superseded one, is a conflict.
 */
export async function signAgreement(ctx: ServiceContext, id: string, input: { version?: unknown }): Promise<Agreement> {
  if (typeof input.version !== 'number' || !Number.isInteger(input.version) || input.version < 1) {
    throw new InputError('version must be the number of the version you sign', [
      { pointer: '/version', detail: 'must be a whole number of at least 1' },
    ]);
  }
  const version = input.version;
  return withTransaction(ctx.db, async (trx) => {
    const row = await load(ctx, trx, id);
    const { side } = sideFor(ctx, row);
    await serializeOn(trx, ctx.db.caps, `frontier.agreement:${id}`);
    const plan = planSignature(stateOf(row, await versionsOf(trx, [id])), version, side);
    const now = ctx.clock.now().toISOString();
    const who = ctx.actor.kind === 'user' ? ctx.actor.userId : describeActor(ctx.actor);
    await updateVersion(trx, id, version, {
      ...(side === 'developer'
        ? { developer_signed_by: who, developer_signed_at: now }
        : { government_signed_by: who, government_signed_at: now }),
      ...(plan.inForce ? { status: 'in_force', in_force_at: now } : {}),
    });
    if (plan.supersedes !== null) await updateVersion(trx, id, plan.supersedes, { status: 'superseded', closed_at: now });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.agreement.sign',
      subject: { type: 'agreement', id },
      orgId: ctx.actor.kind === 'user' ? ctx.actor.orgId : null,
      diff: { version, side, inForce: plan.inForce, supersedes: plan.supersedes },
    });
    return withVersions(trx, row);
  });
}

/**
 * Ends the agreement, by either side (participation is voluntary). Reviews already open keep the version
 * they recorded; nothing waits on it, nothing is gated by it.
 */
export async function endAgreement(ctx: ServiceContext, id: string, input: { reason?: unknown } = {}): Promise<Agreement> {
  const reason = text(input.reason, '/reason', 2000, false);
  return withTransaction(ctx.db, async (trx) => {
    const row = await load(ctx, trx, id);
    const { orgId } = sideFor(ctx, row);
    await serializeOn(trx, ctx.db.caps, `frontier.agreement:${id}`);
    planEnd(stateOf(row, []));
    const now = ctx.clock.now().toISOString();
    if (!(await endAgreementRow(trx, id, { at: now, by: describeActor(ctx.actor), orgId, reason }))) {
      throw new ConflictError(`agreement ${id} has ended already`, { code: 'agreement-ended' });
    }
    for (const v of await versionsOf(trx, [id])) {
      if (v.status === 'proposed') await updateVersion(trx, id, v.version, { status: 'withdrawn', closed_at: now });
    }
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.agreement.end',
      subject: { type: 'agreement', id },
      orgId,
      diff: { reason },
    });
    return withVersions(trx, (await findAgreement(trx, id)) as AgreementRow);
  });
}

export async function getAgreement(ctx: ServiceContext, id: string): Promise<Agreement> {
  return withVersions(ctx.db.kysely, await load(ctx, ctx.db.kysely, id));
}

/** The agreements the actor's organisation is party to (all of them for the coordinator), newest first. */
export async function listAgreements(ctx: ServiceContext, request: PageRequest = {}): Promise<Page<Agreement>> {
  const actor = ctx.actor;
  if (actor.kind === 'anonymous') return { items: [], nextCursor: null };
  const orgId = actor.kind === 'system' || actor.orgKind === 'coordinator' ? null : actor.orgId;
  const page = await pageAgreements(ctx.db.kysely, orgId, request);
  const versions = await versionsOf(
    ctx.db.kysely,
    page.items.map((r) => r.id),
  );
  return {
    items: page.items.map((r) => {
      const own = versions.filter((v) => v.agreement_id === r.id);
      return presentAgreement(r, own, versionInForce(stateOf(r, own)));
    }),
    nextCursor: page.nextCursor,
  };
}

/** The agreement version in force for a developer's model: the most recently signed one whose scope covers it. */
export async function agreementForModel(
  executor: Executor,
  developerOrgId: string,
  model: { readonly name: string },
): Promise<{ readonly agreementId: string; readonly version: number; readonly terms: AgreementTerms } | null> {
  for (const v of await inForceVersionsOf(executor, developerOrgId)) {
    const terms = JSON.parse(v.terms) as AgreementTerms;
    if (agreementCovers(terms.scope, model)) return { agreementId: v.agreement_id, version: v.version, terms };
  }
  return null;
}

/** One version's terms (a review names the version it opened under). */
export async function agreementTerms(executor: Executor, agreementId: string, version: number): Promise<AgreementTerms | null> {
  const row = await findVersion(executor, agreementId, version);
  return row === undefined ? null : (JSON.parse(row.terms) as AgreementTerms);
}

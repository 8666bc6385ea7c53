import type { Static } from '@sinclair/typebox';
import { systemActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { authorize, getOrg, type Org } from '../../identity/index.js';
import { ORG_KIND_OF_ROLE, PARTICIPANT_ROLES, type ParticipantRole } from '../domain/participants.js';
import { readPurlScope, suggestVendors } from '../domain/vendor-suggestion.js';
import { PARTICIPANT_ADDED, type ParticipantAddedPayload } from '../events.js';
import { presentParticipant, type CaseParticipant } from '../presenters.js';
import { vulnerabilitiesOf } from '../store/cases.js';
import { insertParticipants, participantsOf, replaceScopes, scopesOf, scopesOfTypes, updateParticipant } from '../store/participants.js';
import type { CaseRow, ParticipantRow, VulnerabilityRow } from '../store/tables.js';
import { overseesCases, readableCase } from './access.js';
import { applyFirstContactDefault, lockCase } from './embargo.js';
import { recordStep } from './timeline.js';
import type { ScopesSchema } from '../route-schemas.js';

const MAX_SCOPES = 200;
const MAX_NOTE = 2000;

async function orgNamed(ctx: ServiceContext, orgId: unknown, pointer: string): Promise<Org> {
  const org =
    typeof orgId === 'string' && orgId.length <= 100
      ? await getOrg({ ...ctx, actor: systemActor('cases') }, orgId).catch(() => null)
      : null;
  if (org === null) throw new InputError(`${pointer.slice(1)} names no organisation`, [{ pointer, detail: 'must name an organisation' }]);
  return org;
}

function readNote(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_NOTE)
    throw new InputError('note is too long', [{ pointer: '/note', detail: `must be text of at most ${MAX_NOTE} characters` }]);
  return value.trim() === '' ? null : value.trim();
}

/** A participant row as first stored: not yet notified nor seen. */
export function newParticipant(
  caseId: string,
  orgId: string,
  at: string,
  fields: Pick<ParticipantRow, 'role' | 'state' | 'source'> & Partial<ParticipantRow>,
): ParticipantRow {
  return {
    case_id: caseId,
    org_id: orgId,
    matches: '[]',
    note: null,
    notified_at: null,
    seen_at: null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

async function emitAdded(ctx: ServiceContext, trx: Executor, row: CaseRow, p: ParticipantRow): Promise<void> {
  const payload: ParticipantAddedPayload = {
    caseId: row.id,
    number: row.number,
    orgId: p.org_id,
    role: p.role as ParticipantRole,
    state: p.state as 'suggested' | 'active',
    at: p.updated_at,
  };
  await ctx.events.emit(trx, { type: PARTICIPANT_ADDED, subjectId: row.id, orgId: p.org_id, payload });
}

/**
 * Suggests, in the caller's transaction, the vendors whose declared purl scopes contain an affected package
 * of the case and who do not take part yet (`state: suggested`, `source: purl`, with the matches).
 */
export async function insertSuggestions(
  ctx: ServiceContext,
  trx: Executor,
  row: CaseRow,
  vulnerabilities: readonly VulnerabilityRow[],
  taking: ReadonlySet<string>,
): Promise<ParticipantRow[]> {
  const purls = vulnerabilities.flatMap((v) => JSON.parse(v.purls) as string[]);
  const types = [...new Set(purls.map((p) => p.slice(4, p.indexOf('/'))))];
  const scopes = (await scopesOfTypes(trx, types)).map((s) => ({ orgId: s.org_id, scope: s.scope }));
  const at = ctx.clock.now().toISOString();
  const rows: ParticipantRow[] = suggestVendors(purls, scopes)
    .filter((s) => !taking.has(s.orgId))
    .map((s) =>
      newParticipant(row.id, s.orgId, at, { role: 'vendor', state: 'suggested', source: 'purl', matches: JSON.stringify(s.matches) }),
    );
  await insertParticipants(trx, rows);
  for (const p of rows) {
    await recordStep(trx, ctx.actor, {
      caseId: row.id,
      kind: 'participant.suggested',
      at,
      audienceOrgId: row.owner_org_id,
      data: { orgId: p.org_id, source: 'purl' },
    });
    await emitAdded(ctx, trx, row, p);
  }
  return rows;
}

/**
 * Suggests again from the vendors' current scopes (coordinators): vendors who declared a scope after the
 * case opened. Answers the new suggestions.
 */
export async function suggestCaseVendors(ctx: ServiceContext, idOrNumber: string): Promise<CaseParticipant[]> {
  const access = await readableCase(ctx, idOrNumber);
  authorize(ctx.actor, 'cases.participant.manage');
  return withTransaction(ctx.db, async (trx) => {
    const row = await lockCase(ctx, trx, access.row.id);
    const taking = new Set((await participantsOf(trx, row.id)).map((p) => p.org_id));
    const added = await insertSuggestions(ctx, trx, row, await vulnerabilitiesOf(trx, row.id), taking);
    if (added.length > 0)
      await ctx.audit.record(trx, ctx.actor, {
        action: 'cases.participant.suggest',
        subject: { type: 'case', id: row.id },
        orgId: row.owner_org_id,
        diff: { orgIds: added.map((p) => p.org_id) },
      });
    return added.map(presentParticipant);
  });
}

async function activate(ctx: ServiceContext, trx: Executor, row: CaseRow, p: ParticipantRow, note: string | null): Promise<ParticipantRow> {
  const at = ctx.clock.now().toISOString();
  const before = await participantsOf(trx, row.id);
  const firstVendor = p.role === 'vendor' && !before.some((o) => o.role === 'vendor' && o.state === 'active');
  const active: ParticipantRow = { ...p, state: 'active', notified_at: p.notified_at ?? at, note: note ?? p.note, updated_at: at };
  if (before.some((o) => o.org_id === p.org_id)) await updateParticipant(trx, row.id, p.org_id, active);
  else await insertParticipants(trx, [active]);
  await recordStep(trx, ctx.actor, {
    caseId: row.id,
    kind: 'participant.added',
    at,
    audienceOrgId: p.org_id,
    data: { orgId: p.org_id, role: p.role },
  });
  await emitAdded(ctx, trx, row, active);
  await ctx.audit.record(trx, ctx.actor, {
    action: 'cases.participant.add',
    subject: { type: 'case', id: row.id },
    orgId: row.owner_org_id,
    diff: { orgId: p.org_id, role: p.role, state: [p.state, 'active'] },
  });
  // The first vendor contacted starts the policy's default deadline.
  if (firstVendor) await applyFirstContactDefault(ctx, trx, row.id);
  return active;
}

export interface AddParticipantInput {
  readonly orgId?: unknown;
  readonly role?: unknown;
  readonly note?: unknown;
}

/**
 * Adds an organisation to a case, or approves a suggested vendor (coordinators): it takes part at once,
 * `notifiedAt` now, and `cases.participant.added` tells it. The first vendor to take part starts the
 * policy's default embargo. Adding one already taking part answers it unchanged.
 *
 * @throws InputError naming `/orgId`, `/role` (a vendor organisation for the vendor role, a coordinator one for
 *   the coordinator role), `/note`.
 */
export async function addParticipant(ctx: ServiceContext, idOrNumber: string, input: AddParticipantInput): Promise<CaseParticipant> {
  const access = await readableCase(ctx, idOrNumber);
  authorize(ctx.actor, 'cases.participant.manage');
  const issues: FieldIssue[] = [];
  const role = input.role ?? 'vendor';
  if (typeof role !== 'string' || !(PARTICIPANT_ROLES as readonly string[]).includes(role))
    issues.push({ pointer: '/role', detail: `must be one of ${PARTICIPANT_ROLES.join(', ')}` });
  if (issues.length > 0) throw new InputError('the participant is not valid', issues);
  const org = await orgNamed(ctx, input.orgId, '/orgId');
  const kind = ORG_KIND_OF_ROLE[role as ParticipantRole];
  if (kind !== undefined && org.kind !== kind)
    throw new InputError(`${org.name} is a ${org.kind} organisation`, [
      { pointer: '/role', detail: `${role} needs a ${kind} organisation` },
    ]);
  const note = readNote(input.note);
  return withTransaction(
    ctx.db,
    async (trx) => {
      const row = await lockCase(ctx, trx, access.row.id);
      const existing = (await participantsOf(trx, row.id)).find((p) => p.org_id === org.id);
      if (existing?.state === 'active') return presentParticipant(existing);
      const at = ctx.clock.now().toISOString();
      const base = existing ?? newParticipant(row.id, org.id, at, { role: role as string, state: 'suggested', source: 'coordinator' });
      return presentParticipant(await activate(ctx, trx, row, { ...base, role: role as string }, note));
    },
    { replayOnUniqueViolation: true },
  );
}

/**
 * A suggested participant declined (coordinators): it stays on the timeline as `removed` and is not
 * suggested again from purls.
 */
export async function declineParticipant(ctx: ServiceContext, idOrNumber: string, orgId: string): Promise<CaseParticipant> {
  const access = await readableCase(ctx, idOrNumber);
  authorize(ctx.actor, 'cases.participant.manage');
  return withTransaction(ctx.db, async (trx) => {
    const row = await lockCase(ctx, trx, access.row.id);
    const p = (await participantsOf(trx, row.id)).find((x) => x.org_id === orgId);
    if (p === undefined) throw new NotFoundError(`no participant ${orgId} in ${row.number}`);
    if (p.state !== 'suggested') return presentParticipant(p);
    const at = ctx.clock.now().toISOString();
    await updateParticipant(trx, row.id, orgId, { state: 'removed', updated_at: at });
    await recordStep(trx, ctx.actor, {
      caseId: row.id,
      kind: 'participant.declined',
      at,
      audienceOrgId: row.owner_org_id,
      data: { orgId },
    });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'cases.participant.decline',
      subject: { type: 'case', id: row.id },
      orgId: row.owner_org_id,
      diff: { orgId, state: ['suggested', 'removed'] },
    });
    return presentParticipant({ ...p, state: 'removed', updated_at: at });
  });
}

/**
 * A vendor taking part proposes another vendor (VINCE's vendors knew their upstreams better than the
 * coordinators): it is suggested, for a coordinator to approve. Proposing one already there changes nothing.
 * The proposer learns only that the proposal was recorded.
 *
 * @throws InputError naming `/orgId` (a vendor organisation) or `/note`.
 */
export async function proposeVendor(
  ctx: ServiceContext,
  idOrNumber: string,
  input: { orgId?: unknown; note?: unknown },
): Promise<{ proposed: true }> {
  const access = await readableCase(ctx, idOrNumber);
  authorize(ctx.actor, 'cases.vendor.propose');
  const org = await orgNamed(ctx, input.orgId, '/orgId');
  if (org.kind !== 'vendor')
    throw new InputError('only a vendor is proposed', [{ pointer: '/orgId', detail: 'must name a vendor organisation' }]);
  const note = readNote(input.note);
  const proposer = access.orgId ?? access.row.owner_org_id;
  await withTransaction(
    ctx.db,
    async (trx) => {
      const row = await lockCase(ctx, trx, access.row.id);
      if ((await participantsOf(trx, row.id)).some((p) => p.org_id === org.id)) return;
      const at = ctx.clock.now().toISOString();
      const p = newParticipant(row.id, org.id, at, { role: 'vendor', state: 'suggested', source: `vendor:${proposer}`, note });
      await insertParticipants(trx, [p]);
      await recordStep(trx, ctx.actor, {
        caseId: row.id,
        kind: 'participant.suggested',
        at,
        audienceOrgId: row.owner_org_id,
        data: { orgId: org.id, source: 'vendor' },
      });
      await emitAdded(ctx, trx, row, p);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'cases.vendor.propose',
        subject: { type: 'case', id: row.id },
        orgId: row.owner_org_id,
        diff: { orgId: org.id },
      });
    },
    { replayOnUniqueViolation: true },
  );
  return { proposed: true };
}

export type VendorScopes = Static<typeof ScopesSchema>;

/**
 * Declares the purl namespaces and products a vendor owns (`pkg:npm/@acme`, `pkg:maven/com.acme/widget`),
 * replacing its list: the vendor's analysts and admins, or coordinators for it. Later cases whose affected
 * packages lie in a scope suggest the vendor.
 *
 * @throws InputError naming `/scopes/i` and the rule, or `/orgId` (not a vendor).
 */
export async function declareVendorScopes(ctx: ServiceContext, input: { orgId?: unknown; scopes?: unknown }): Promise<VendorScopes> {
  const orgId = input.orgId ?? (ctx.actor.kind === 'user' ? ctx.actor.orgId : undefined);
  const org = await orgNamed(ctx, orgId, '/orgId');
  authorize(ctx.actor, 'cases.scope.manage', { ownerOrgId: org.id });
  if (org.kind !== 'vendor')
    throw new InputError('only a vendor declares scopes', [{ pointer: '/orgId', detail: 'must name a vendor organisation' }]);
  const issues: FieldIssue[] = [];
  const list = input.scopes;
  const scopes: { scope: string; type: string }[] = [];
  if (!Array.isArray(list) || list.length > MAX_SCOPES)
    issues.push({ pointer: '/scopes', detail: `must list at most ${MAX_SCOPES} package URL scopes` });
  else
    list.forEach((raw, i) => {
      const read =
        typeof raw === 'string' && raw.length <= 500
          ? readPurlScope(raw)
          : { ok: false as const, reason: 'must be text of at most 500 characters' };
      if (read.ok) scopes.push(read.value);
      else issues.push({ pointer: `/scopes/${i}`, detail: read.reason });
    });
  if (issues.length > 0)
    throw new InputError(`the scopes are not valid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  const unique = [...new Map(scopes.map((s) => [s.scope, s])).values()];
  const at = ctx.clock.now().toISOString();
  await withTransaction(ctx.db, async (trx) => {
    // Replacing is delete-then-insert: two at once would both insert the same (org, scope) keys. One at a time
    // per organisation, the later finds the earlier's rows committed and replaces them, as in sequence.
    await serializeOn(trx, ctx.db.caps, `cases.vendor-scopes:${org.id}`);
    await replaceScopes(
      trx,
      org.id,
      unique.map((s) => ({
        org_id: org.id,
        scope: s.scope,
        type: s.type,
        created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        created_at: at,
      })),
    );
    await ctx.audit.record(trx, ctx.actor, {
      action: 'cases.scope.declare',
      subject: { type: 'org', id: org.id },
      orgId: org.id,
      diff: { scopes: unique.map((s) => s.scope) },
    });
  });
  return { orgId: org.id, scopes: unique.map((s) => s.scope).sort() };
}

/** A vendor's declared scopes: its own members, or coordinators. Another organisation's answer 404. */
export async function listVendorScopes(ctx: ServiceContext, orgId?: string): Promise<VendorScopes> {
  const id = orgId ?? (ctx.actor.kind === 'user' ? ctx.actor.orgId : undefined);
  const own = ctx.actor.kind === 'user' && ctx.actor.orgId === id;
  if (id === undefined || !(own || overseesCases(ctx.actor))) throw new NotFoundError(`no organisation ${id ?? ''}`);
  return { orgId: id, scopes: (await scopesOf(ctx.db.kysely, id)).map((s) => s.scope) };
}

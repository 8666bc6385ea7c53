import { authorize, type Org } from '../../identity/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import type { GrantScope } from '../domain/grant-rules.js';
import { parseNomination, type NominationInput } from '../domain/inputs.js';
import { scoreCandidate, type CandidateFacts, type PartnerScore } from '../domain/partner-scoring.js';
import { actsForDeveloper, actsForGovernment, isAdminOf } from '../domain/program-roles.js';
import { isFinalState } from '../domain/review-window.js';
import { addSignOff, sideOf, type SignOffSide } from '../domain/sign-off.js';
import { presentNomination, stateOf, type Nomination } from '../presenters.js';
import { grantHistory, grantsUnderNominations, liveGrantOf } from '../store/grants.js';
import { nominationFor, signOffsOf } from '../store/partners.js';
import { unclosedReviewsOf } from '../store/reviews.js';
import { insertRow, pageVisible, parseJson, updateRow, type NominationRow } from '../store/tables.js';
import { PROGRAM_TLP, shareNominations } from './audience.js';
import { issueGrant } from './grant-lifecycle.js';
import { actorOrgId, actorUserId, currentPolicy, loadModel, loadVisible, orgById } from './records.js';
import { PARTNER_SELECTED } from '../events.js';

/** What the nominating side attested, kept with the nomination and re-read at every scoring. */
type Attested = Pick<NominationInput, 'vettingCompleted' | 'conflictOfInterestDeclared' | 'incidentResponseCapacity'>;

async function candidateOrg(ctx: ServiceContext, trx: Executor, id: string): Promise<Org> {
  return orgById(ctx, trx, id).catch((error: unknown) => {
    if (error instanceof NotFoundError)
      throw new InputError(`no organisation ${id}`, [{ pointer: '/candidateOrgId', detail: 'must name an organisation' }]);
    throw error;
  });
}

/** Scores a candidate under the policy in force, from what was attested and what the clearinghouse knows. */
async function score(
  ctx: ServiceContext,
  trx: Executor,
  candidate: Org,
  developerOrgId: string,
  attested: Attested,
): Promise<PartnerScore> {
  const policy = await currentPolicy(trx);
  const facts: CandidateFacts = {
    orgKind: candidate.kind,
    sectors: candidate.sectors,
    isDeveloper: candidate.id === developerOrgId,
    ...attested,
    // Validation (reporter reputation) does not publish a disclosure record yet; the factor is left out until it does.
    disclosureTrackRecord: null,
    grantHistory: await grantHistory(trx, candidate.id),
  };
  return scoreCandidate(policy.partnerCriteria, policy.version, facts);
}

async function present(ctx: ServiceContext, executor: Executor, row: NominationRow): Promise<Nomination> {
  const grants = await grantsUnderNominations(executor, ctx.actor, [row.id]);
  return presentNomination(row, await signOffsOf(executor, [row.id]), grants);
}

/**
 * Nominates a trusted-partner candidate for a model — by either side: the developer, or government (an
 * agency with access to the model, or the coordinator). The candidate is scored at once against the
 * policy's criteria, with a per-factor explanation. ConflictError when it is nominated already.
 * Audited as `frontier.nomination.create`.
 */
export async function nominatePartner(ctx: ServiceContext, modelId: string, input: Record<string, unknown>): Promise<Nomination> {
  const parsed = parseNomination(input);
  return withTransaction(
    ctx.db,
    async (trx) => {
      const model = await loadModel(ctx, trx, modelId);
      let side: SignOffSide;
      if (actsForDeveloper(ctx.actor, model.owner_org_id) && ctx.actor.kind === 'user') side = 'developer';
      else if (actsForGovernment(ctx.actor)) side = 'government';
      else throw new NotAllowedError('partners are nominated by the developer or by government');
      const candidate = await candidateOrg(ctx, trx, parsed.candidateOrgId);
      if (await nominationFor(trx, modelId, candidate.id))
        throw new ConflictError(`${candidate.name} is nominated for this model already`, { code: 'already-nominated' });
      const attested: Attested = {
        vettingCompleted: parsed.vettingCompleted,
        conflictOfInterestDeclared: parsed.conflictOfInterestDeclared,
        incidentResponseCapacity: parsed.incidentResponseCapacity,
      };
      const scored = await score(ctx, trx, candidate, model.owner_org_id, attested);
      const now = ctx.clock.now().toISOString();
      const row: NominationRow = {
        id: newId('nom'),
        model_id: modelId,
        owner_org_id: model.owner_org_id,
        tlp: PROGRAM_TLP,
        created_by: actorUserId(ctx.actor),
        candidate_org_id: candidate.id,
        nominated_by_org_id: actorOrgId(ctx.actor),
        nominating_side: side,
        rationale: parsed.rationale,
        scope: parsed.scope,
        facts: JSON.stringify(attested),
        score: JSON.stringify(scored),
        status: 'nominated',
        selected_at: null,
        created_at: now,
        updated_at: now,
      };
      await insertRow(trx, 'frontier_nomination', row);
      await shareNominations(trx, ctx, modelId);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'frontier.nomination.create',
        subject: { type: 'nomination', id: row.id },
        orgId: model.owner_org_id,
        diff: {
          candidateOrgId: candidate.id,
          side,
          scope: parsed.scope,
          ...attested,
          score: scored.score,
          eligible: scored.eligible,
          policyVersion: scored.policyVersion,
        },
      });
      return present(ctx, trx, row);
    },
    { replayOnUniqueViolation: true },
  );
}

/** Scores the candidate again under the policy in force (criteria change; grant histories grow). Audited as `frontier.nomination.score`. */
export async function scoreNomination(ctx: ServiceContext, id: string): Promise<Nomination> {
  return withTransaction(ctx.db, async (trx) => {
    const row = await loadVisible(ctx, trx, 'frontier_nomination', id, 'nomination');
    authorize(ctx.actor, 'frontier.partner.nominate', { ownerOrgId: row.owner_org_id });
    const scored = await score(
      ctx,
      trx,
      await candidateOrg(ctx, trx, row.candidate_org_id),
      row.owner_org_id,
      parseJson<Attested>(row.facts),
    );
    const patch = { score: JSON.stringify(scored), updated_at: ctx.clock.now().toISOString() };
    await updateRow(trx, 'frontier_nomination', id, patch);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.nomination.score',
      subject: { type: 'nomination', id },
      orgId: row.owner_org_id,
      diff: { score: scored.score, eligible: scored.eligible, policyVersion: scored.policyVersion },
    });
    return present(ctx, trx, { ...row, ...patch });
  });
}

/** Issues the selected partner's grants on the model's scheduled and open reviews, each until its window ends. */
async function grantSelectedPartner(trx: Executor, ctx: ServiceContext, row: NominationRow): Promise<string[]> {
  const now = ctx.clock.now();
  const ids: string[] = [];
  for (const review of await unclosedReviewsOf(trx, row.model_id)) {
    if (isFinalState(stateOf(review, now)) || (await liveGrantOf(trx, review.id, row.candidate_org_id))) continue;
    const startsAt = new Date(Math.max(Date.parse(review.window_start), now.getTime()));
    const grant = await issueGrant(trx, ctx, review, {
      granteeOrgId: row.candidate_org_id,
      nominationId: row.id,
      scope: row.scope as GrantScope,
      startsAt,
      expiresAt: new Date(review.window_end),
      credentialRef: null,
    });
    ids.push(grant.id);
  }
  return ids;
}

/**
 * Signs off on a candidate for one side: an admin of the developer, or of an agency or the coordinator.
 * The candidate is selected when both sides have signed — two different organisations; the same
 * organisation signing twice is refused (409), as is a candidate short of the policy (422). Selection
 * issues the partner's grants on the model's running reviews. Audited as `frontier.nomination.sign_off`
 * (and `frontier.nomination.select`); emits `frontier.partner.selected`.
 */
export async function signOffNomination(ctx: ServiceContext, id: string, input: { note?: unknown } = {}): Promise<Nomination> {
  const r = new FieldReader();
  const note = r.prose('/note', input.note, 5000);
  r.done();
  return withTransaction(ctx.db, async (trx) => {
    // Both sides may sign at the same moment: one after the other, so that the second sees the first.
    await serializeOn(trx, ctx.db.caps, `frontier.nomination:${id}`);
    const row = await loadVisible(ctx, trx, 'frontier_nomination', id, 'nomination');
    const actor = ctx.actor;
    if (actor.kind !== 'user' || !isAdminOf(actor, actor.orgId))
      throw new NotAllowedError('sign-offs are given by an admin of the developer or of a government organisation');
    const side = sideOf({ id: actor.orgId, kind: actor.orgKind }, row.owner_org_id);
    if (side === null) throw new NotAllowedError('only the developer and government (an agency or the coordinator) sign off on partners');
    if (row.status === 'selected') throw new ConflictError('this candidate is selected already', { code: 'already-selected' });
    const scored = await score(
      ctx,
      trx,
      await candidateOrg(ctx, trx, row.candidate_org_id),
      row.owner_org_id,
      parseJson<Attested>(row.facts),
    );
    const existing = (await signOffsOf(trx, [id])).map((s) => ({ orgId: s.org_id, side: s.side as SignOffSide }));
    const { selected } = addSignOff(existing, { orgId: actor.orgId, side }, scored);
    const now = ctx.clock.now().toISOString();
    await insertRow(trx, 'frontier_sign_off', {
      nomination_id: id,
      org_id: actor.orgId,
      side,
      user_id: actor.userId,
      note,
      score: JSON.stringify(scored),
      signed_at: now,
    });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.nomination.sign_off',
      subject: { type: 'nomination', id },
      orgId: row.owner_org_id,
      diff: { side, note, score: scored.score, policyVersion: scored.policyVersion },
    });
    const patch = { score: JSON.stringify(scored), updated_at: now, ...(selected ? { status: 'selected', selected_at: now } : {}) };
    await updateRow(trx, 'frontier_nomination', id, patch);
    if (selected) {
      const grantIds = await grantSelectedPartner(trx, ctx, row);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'frontier.nomination.select',
        subject: { type: 'nomination', id },
        orgId: row.owner_org_id,
        diff: { status: ['nominated', 'selected'], grantIds },
      });
      await ctx.events.emit(trx, {
        type: PARTNER_SELECTED,
        subjectId: id,
        orgId: row.owner_org_id,
        payload: { nominationId: id, modelId: row.model_id, partnerOrgId: row.candidate_org_id, grantIds },
      });
    }
    return present(ctx, trx, { ...row, ...patch });
  });
}

/** A model's nominations the actor may see (developer, coordinator, agencies with access; never other partners). */
export async function listNominations(ctx: ServiceContext, modelId: string, request: PageRequest): Promise<Page<Nomination>> {
  await loadModel(ctx, ctx.db.kysely, modelId);
  const page = await pageVisible(ctx.db.kysely, ctx.actor, 'frontier_nomination', { model_id: modelId }, request);
  const ids = page.items.map((n) => n.id);
  const signOffs = await signOffsOf(ctx.db.kysely, ids);
  const grants = await grantsUnderNominations(ctx.db.kysely, ctx.actor, ids);
  return { items: page.items.map((n) => presentNomination(n, signOffs, grants)), nextCursor: page.nextCursor };
}

export async function getNomination(ctx: ServiceContext, id: string): Promise<Nomination> {
  return present(ctx, ctx.db.kysely, await loadVisible(ctx, ctx.db.kysely, 'frontier_nomination', id, 'nomination'));
}

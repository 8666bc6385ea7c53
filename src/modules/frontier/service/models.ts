import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { parseDetermination, parseModelInput, parseModelUpdate, type ModelInput } from '../domain/inputs.js';
import { actsForDeveloper, actsForGovernment, canAct } from '../domain/program-roles.js';
import { presentDetermination, presentModel, type Determination, type Model } from '../presenters.js';
import { determinationsOf, findModelByKey, latestDeterminations } from '../store/program.js';
import { findRow, insertRow, pageVisible, updateRow, type ModelRow } from '../store/tables.js';
import { PROGRAM_TLP, shareModel } from './audience.js';
import { actorOrgId, actorUserId, currentPolicy, loadModel, orgById } from './records.js';
import { MODEL_DETERMINED, MODEL_REGISTERED } from '../events.js';

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

async function withDetermination(executor: Executor, row: ModelRow): Promise<Model> {
  return presentModel(row, (await latestDeterminations(executor, [row.id])).get(row.id));
}

/** The developer organisation a new model belongs to: the caller's own, or (local operator) the one named. */
async function developerOrgOf(ctx: ServiceContext, developerOrgId: unknown): Promise<string> {
  const actor = ctx.actor;
  if (actor.kind === 'user') {
    if (actor.orgKind !== 'model_developer' || !canAct(actor))
      throw new NotAllowedError('only analysts and admins of a model developer enroll models');
    return actor.orgId;
  }
  if (actor.kind !== 'system' || typeof developerOrgId !== 'string') {
    throw new InputError('developerOrgId is required when no developer user is acting', [
      { pointer: '/developerOrgId', detail: 'is required' },
    ]);
  }
  const org = await orgById(ctx, ctx.db.kysely, developerOrgId);
  if (org.kind !== 'model_developer')
    throw new InputError(`${org.name} is not a model developer`, [
      { pointer: '/developerOrgId', detail: 'must be a model_developer organisation' },
    ]);
  return org.id;
}

/**
 * Enrolls a model (voluntary; covered or not). By analysts and admins of a model developer. Throws
 * ConflictError when the developer enrolled this name and version already. Audited as
 * `frontier.model.create`; emits `frontier.model.registered`.
 */
export async function registerModel(ctx: ServiceContext, input: Record<string, unknown> & { developerOrgId?: unknown }): Promise<Model> {
  const model = parseModelInput(input);
  const ownerOrgId = await developerOrgOf(ctx, input.developerOrgId);
  return withTransaction(
    ctx.db,
    async (trx) => {
      if (await findModelByKey(trx, ownerOrgId, nameKey(model.name), model.version)) {
        throw new ConflictError(`${model.name} ${model.version} is enrolled already`, { code: 'model-exists' });
      }
      const now = ctx.clock.now().toISOString();
      const row: ModelRow = {
        id: newId('model'),
        owner_org_id: ownerOrgId,
        tlp: PROGRAM_TLP,
        created_by: actorUserId(ctx.actor),
        name: model.name,
        name_key: nameKey(model.name),
        version: model.version,
        modality: model.modality,
        planned_release: model.plannedRelease,
        compute_estimate_flop: model.computeEstimateFlop,
        description: model.description,
        contacts: JSON.stringify(model.contacts),
        created_at: now,
        updated_at: now,
      };
      await insertRow(trx, 'frontier_model', row);
      await shareModel(trx, ctx, row.id);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'frontier.model.create',
        subject: { type: 'model', id: row.id },
        orgId: ownerOrgId,
        diff: model,
      });
      await ctx.events.emit(trx, {
        type: MODEL_REGISTERED,
        subjectId: row.id,
        orgId: ownerOrgId,
        payload: { modelId: row.id, name: row.name, version: row.version },
      });
      return presentModel(row, undefined);
    },
    { replayOnUniqueViolation: true },
  );
}

/** Models the actor may see: its own as a developer, those it was granted access to, all for the coordinator. */
export async function listModels(ctx: ServiceContext, request: PageRequest): Promise<Page<Model>> {
  const page = await pageVisible(ctx.db.kysely, ctx.actor, 'frontier_model', {}, request);
  const latest = await latestDeterminations(
    ctx.db.kysely,
    page.items.map((m) => m.id),
  );
  return { items: page.items.map((m) => presentModel(m, latest.get(m.id))), nextCursor: page.nextCursor };
}

export async function getModel(ctx: ServiceContext, id: string): Promise<Model> {
  return withDetermination(ctx.db.kysely, await loadModel(ctx, ctx.db.kysely, id));
}

/**
 * Changes a model's details, the planned release included — by the developer only, in any review state:
 * no review ever holds a release date back. Audited as `frontier.model.update` with before and after.
 */
export async function updateModel(ctx: ServiceContext, id: string, input: Record<string, unknown>): Promise<Model> {
  const patch = parseModelUpdate(input);
  return withTransaction(ctx.db, async (trx) => {
    const row = await loadModel(ctx, trx, id);
    if (!actsForDeveloper(ctx.actor, row.owner_org_id)) throw new NotAllowedError('only the developer changes its model');
    const columns: Partial<ModelRow> = { updated_at: ctx.clock.now().toISOString() };
    const diff: Record<string, [unknown, unknown]> = {};
    const set = <K extends keyof ModelInput>(key: K, column: keyof ModelRow, before: unknown, stored: unknown) => {
      if (patch[key] === undefined) return;
      (columns as Record<string, unknown>)[column] = stored;
      diff[key] = [before, patch[key]];
    };
    set('plannedRelease', 'planned_release', row.planned_release, patch.plannedRelease);
    set('modality', 'modality', row.modality, patch.modality);
    set('computeEstimateFlop', 'compute_estimate_flop', row.compute_estimate_flop, patch.computeEstimateFlop);
    set('description', 'description', row.description, patch.description);
    set('contacts', 'contacts', JSON.parse(row.contacts), JSON.stringify(patch.contacts));
    await updateRow(trx, 'frontier_model', id, columns);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.model.update',
      subject: { type: 'model', id },
      orgId: row.owner_org_id,
      diff,
    });
    return withDetermination(trx, (await findRow(trx, 'frontier_model', id)) ?? row);
  });
}

/**
 * Records a covered-model determination: which agency determined it, when, under the covered-model rule
 * of the policy in force (its version is recorded), and an opaque reference to the assessment — never the
 * assessment. By government (an agency for itself; the coordinator naming the agency). Audited as
 * `frontier.determination.create`; emits `frontier.model.determined`.
 */
export async function recordDetermination(ctx: ServiceContext, modelId: string, input: Record<string, unknown>): Promise<Determination> {
  const parsed = parseDetermination(input);
  return withTransaction(ctx.db, async (trx) => {
    const model = await loadModel(ctx, trx, modelId);
    if (!actsForGovernment(ctx.actor))
      throw new NotAllowedError('covered-model determinations are recorded by agencies and the coordinator');
    const own = ctx.actor.kind === 'user' && ctx.actor.orgKind === 'agency' ? ctx.actor.orgId : null;
    const determinedBy = parsed.determinedByOrgId ?? own;
    if (determinedBy === null)
      throw new InputError('determinedByOrgId must name the determining agency', [
        { pointer: '/determinedByOrgId', detail: 'is required' },
      ]);
    if (own !== null && determinedBy !== own) throw new NotAllowedError('an agency records its own determinations only');
    if ((await orgById(ctx, trx, determinedBy)).kind !== 'agency')
      throw new InputError('the determination must name an agency', [
        { pointer: '/determinedByOrgId', detail: 'must be an agency organisation' },
      ]);
    const now = ctx.clock.now();
    if (parsed.determinedAt !== null && parsed.determinedAt > now)
      throw new InputError('determinedAt lies in the future', [{ pointer: '/determinedAt', detail: 'must not be in the future' }]);
    const policy = await currentPolicy(trx);
    const row = {
      id: newId('det'),
      model_id: modelId,
      covered: parsed.covered ? 1 : 0,
      determined_by_org_id: determinedBy,
      determined_at: (parsed.determinedAt ?? now).toISOString(),
      policy_version: policy.version,
      assessment_ref: parsed.assessmentRef,
      recorded_by: actorUserId(ctx.actor) ?? 'system',
      created_at: now.toISOString(),
    };
    await insertRow(trx, 'frontier_determination', row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.determination.create',
      subject: { type: 'model', id: modelId },
      orgId: model.owner_org_id,
      diff: { ...parsed, policyVersion: policy.version, recordedByOrg: actorOrgId(ctx.actor) },
    });
    await ctx.events.emit(trx, {
      type: MODEL_DETERMINED,
      subjectId: modelId,
      orgId: model.owner_org_id,
      payload: { modelId, covered: parsed.covered, determinedByOrgId: determinedBy, policyVersion: policy.version },
    });
    return presentDetermination(row);
  });
}

export async function listDeterminations(ctx: ServiceContext, modelId: string): Promise<Determination[]> {
  await loadModel(ctx, ctx.db.kysely, modelId);
  return (await determinationsOf(ctx.db.kysely, modelId)).map(presentDetermination);
}

import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { parsePrioritizeInput, type PrioritizeInput } from '../domain/prioritize-input.js';
import { presentDecision, presentDecisionChange, type Decision, type DecisionChange } from '../presenters.js';
import { cvssScoresOf } from '../store/cvss-scores.js';
import { findDecision, listDecisionHistory as storedHistory } from '../store/decisions.js';
import { authorize } from '../../identity/index.js';
import { decisionSight, redactDecision } from './access.js';
import { decideAndStore, type EngineOutcome } from './decision-engine.js';
import { policyInForce } from './policy.js';

/** Subjects decided per transaction in bulk: large enough to amortize the statements, small enough to keep locks short. */
export const DECISION_BATCH_SIZE = 500;

/** The decision of a subject, whoever asks (for the services here, after their own access check). */
export async function loadDecision(executor: Executor, subjectId: string): Promise<Decision | undefined> {
  const row = await findDecision(executor, subjectId);
  if (row === undefined) return undefined;
  const { inputs, explanation, supplier, ...decision } = row;
  return presentDecision(decision, { inputs, explanation, supplier }, await cvssScoresOf(executor, [subjectId]));
}

export interface PrioritizeResult {
  readonly decision: Decision;
  /** What changed (`outcome`, `exploitation`, `epss`, `inputs`, …); empty when the decision stood as it was. */
  readonly changes: readonly string[];
  readonly created: boolean;
  readonly outcomeChanged: boolean;
}

/**
 * Decides a subject's priority from the inputs given — the CISA coordinator tree over Exploitation (KEV
 * and EPSS are looked up here by the CVE ids), Automatable, Technical Impact and Mission & Well-being from
 * exposure, the vendor-fix deadline from the policy in force, the supplier tree — and stores it with its
 * full explanation. The inputs are kept, so that feed and policy changes can recompute the decision without
 * asking again; a field left out of `input` keeps its stored value (null or [] clears it), so each module
 * sends only what it owns. Nothing is written when nothing changed; otherwise
 * the change is recorded in the history and audited (`scoring.decision.create` / `.update`), and
 * `scoring.decision.changed` is emitted when the outcome changed. The system and the coordinator's
 * admins and analysts only (NotAllowedError); InputError naming the field of a bad input.
 */
export async function prioritize(ctx: ServiceContext, input: PrioritizeInput): Promise<PrioritizeResult> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const parsed = parsePrioritizeInput(input);
  const policy = await policyInForce(ctx.db.kysely);
  return withTransaction(ctx.db, async (trx) => {
    // Two consumers deciding the same subject at once take turns (PostgreSQL; SQLite serializes writers).
    await serializeOn(trx, ctx.db.caps, `scoring.decision:${parsed.subjectId}`);
    const [outcome] = await decideAndStore(ctx, trx, [{ input: parsed, fresh: true }], policy, { reason: 'inputs', auditEach: true });
    const decision = await loadDecision(trx, parsed.subjectId);
    // Unreachable: the row was just written or was there already.
    if (outcome === undefined || decision === undefined) throw new Error(`no decision stored for ${parsed.subjectId}`);
    return { decision, changes: outcome.changes, created: outcome.created, outcomeChanged: outcome.outcomeChanged };
  });
}

export interface BulkSummary {
  readonly subjects: number;
  /** Decisions whose stored state changed (new ones included). */
  readonly changed: number;
  readonly created: number;
  readonly outcomeChanged: number;
}

export function summarize(
  outcomes: readonly EngineOutcome[],
  into: BulkSummary = { subjects: 0, changed: 0, created: 0, outcomeChanged: 0 },
): BulkSummary {
  return {
    subjects: into.subjects + outcomes.length,
    changed: into.changed + outcomes.filter((o) => o.changes.length > 0).length,
    created: into.created + outcomes.filter((o) => o.created).length,
    outcomeChanged: into.outcomeChanged + outcomes.filter((o) => o.outcomeChanged).length,
  };
}

/**
 * {@link prioritize} for many subjects at once (a backfill, a consumer catching up), in transactions of
 * {@link DECISION_BATCH_SIZE}. New decisions and changed outcomes are audited one by one; other changes
 * once per batch. All inputs are checked before anything is written (InputError naming `/<index>/…`).
 */
export async function prioritizeMany(
  ctx: ServiceContext,
  inputs: readonly PrioritizeInput[],
  options: { readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<BulkSummary> {
  authorize(ctx.actor, 'scoring.decision.compute');
  const parsed = inputs.map((input, i) => parsePrioritizeInput(input, `/${i}`));
  const policy = await policyInForce(ctx.db.kysely);
  let summary: BulkSummary = { subjects: 0, changed: 0, created: 0, outcomeChanged: 0 };
  for (let i = 0; i < parsed.length; i += DECISION_BATCH_SIZE) {
    const batch = parsed.slice(i, i + DECISION_BATCH_SIZE).map((input) => ({ input, fresh: true }));
    const outcomes = await withTransaction(ctx.db, (trx) =>
      decideAndStore(ctx, trx, batch, policy, { reason: 'inputs', auditEach: false }),
    );
    summary = summarize(outcomes, summary);
    options.onProgress?.(summary.subjects, parsed.length);
  }
  return summary;
}

function checkSubjectId(subjectId: string): void {
  if (subjectId === '' || subjectId.length > 128)
    throw new InputError('subject id must be 1 to 128 characters', [{ pointer: '/subjectId', detail: 'must be 1 to 128 characters' }]);
}

/**
 * A subject's current decision with its explanation, supplier decision and CVSS scores, as the actor may
 * see it (see `decisionSight`). NotFoundError when there is none or the actor may not see it.
 */
export async function getDecision(ctx: ServiceContext, subjectId: string): Promise<Decision> {
  checkSubjectId(subjectId);
  const sight = await decisionSight(ctx, subjectId);
  const decision = sight.kind === 'none' ? undefined : await loadDecision(ctx.db.kysely, subjectId);
  if (decision === undefined) throw new NotFoundError(`no decision for ${subjectId}`);
  const seen = redactDecision(decision, sight, decision.cveIds);
  // A score redacted from a list or the explanation leaves no trace: not an empty slot, not its tie-breaker.
  return {
    ...seen,
    cvss: seen.cvss.filter((c) => c !== null),
    tieBreak: { ...seen.tieBreak, epss: seen.explanation.epss === null ? null : seen.tieBreak.epss },
  };
}

/** How a subject's decision changed over time, newest first; NotFoundError and redaction as for {@link getDecision}. */
export async function listDecisionHistory(ctx: ServiceContext, subjectId: string, request: PageRequest): Promise<Page<DecisionChange>> {
  checkSubjectId(subjectId);
  const sight = await decisionSight(ctx, subjectId);
  const current = sight.kind === 'none' ? undefined : await loadDecision(ctx.db.kysely, subjectId);
  if (current === undefined) throw new NotFoundError(`no decision for ${subjectId}`);
  const page = await storedHistory(ctx.db.kysely, subjectId, request);
  return { items: redactDecision(page.items.map(presentDecisionChange), sight, current.cveIds), nextCursor: page.nextCursor };
}

import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { canonicalJson } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import { scoreCvss } from '../../../platform/cvss/index.js';
import { groupBy } from '../../../platform/collections.js';
import type { EpssScore } from '../domain/epss-score.js';
import type { PrioritizeInput } from '../domain/prioritize-input.js';
import type { PolicyVersion } from '../presenters.js';
import { cvssScoresOf } from '../store/cvss-scores.js';
import {
  decisionStates,
  insertDecisionHistory,
  replaceSubjectCves,
  upsertDecisionDetails,
  upsertDecisions,
  type DecisionState,
} from '../store/decisions.js';
import { findEpssLatest } from '../store/epss.js';
import { findKevEntries } from '../store/kev.js';
import type { DecisionHistoryRow } from '../store/tables.js';
import { computeDecision, pickCvss, pickEpss, pickKev, type Evidence } from './decision-compute.js';
import { kevEntryOf } from './kev-import.js';
import { DECISION_CHANGED } from '../events.js';

/** One subject to decide. */
export interface EngineItem {
  readonly input: PrioritizeInput;
  /** Inputs given just now (compared with and replacing the stored ones), not read back from storage. */
  readonly fresh: boolean;
  /** The stored decision when the caller has read it already (null: there is none); read here otherwise. */
  readonly state?: DecisionState | null;
}

export interface EngineOptions {
  /** Why, when an input does not say: recorded in the history and events. */
  readonly reason: string;
  /**
   * True: every changed decision gets its own audit event (single decisions). False (bulk runs): new
   * decisions and changed outcomes do; the other changes of the batch — tie-breakers after a feed refresh —
   * are audited together in one `scoring.decision.reprioritize` event, each keeping its history row.
   */
  readonly auditEach: boolean;
}

/** What happened to one subject. */
export interface EngineOutcome {
  readonly subjectId: string;
  readonly outcome: string;
  readonly created: boolean;
  readonly outcomeChanged: boolean;
  /** Names of what changed; empty when nothing did (and nothing was written). */
  readonly changes: readonly string[];
}

/** The stored inputs of a decision, as an engine item. */
export function storedItem(state: DecisionState): EngineItem {
  return {
    input: { ...(JSON.parse(state.inputs) as Omit<PrioritizeInput, 'subjectId'>), subjectId: state.row.subject_id },
    fresh: false,
    state,
  };
}

type StoredInputs = Omit<PrioritizeInput, 'subjectId' | 'reason'>;

/** The inputs to keep: those stored, with every field given now replacing its stored value. */
function mergedInputs(stored: StoredInputs, input: PrioritizeInput): StoredInputs {
  const { subjectId: _subject, reason: _reason, ...given } = input;
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) merged[key] = value;
  return merged as StoredInputs;
}

async function gatherEvidence(trx: Executor, items: readonly EngineItem[]): Promise<Map<string, Evidence>> {
  const cveIds = [...new Set(items.flatMap((i) => i.input.cveIds ?? []))];
  const kev = new Map((await findKevEntries(trx, cveIds)).map((r) => [r.cve_id, kevEntryOf(r)]));
  const epss = new Map(
    (await findEpssLatest(trx, cveIds)).map((r): [string, EpssScore] => [
      r.cve_id,
      { cveId: r.cve_id, epss: r.epss, percentile: r.percentile, date: r.score_date },
    ]),
  );
  const vectors = groupBy(
    await cvssScoresOf(
      trx,
      items.map((i) => i.input.subjectId),
    ),
    (row) => row.subject_id,
    (row) => scoreCvss(row.vector),
  );
  const out = new Map<string, Evidence>();
  for (const { input } of items) {
    const ids = input.cveIds ?? [];
    out.set(input.subjectId, {
      kev: pickKev(ids.flatMap((id) => kev.get(id) ?? [])),
      epss: pickEpss(ids.flatMap((id) => epss.get(id) ?? [])),
      cvss: pickCvss(vectors.get(input.subjectId) ?? []),
    });
  }
  return out;
}

/** One `scoring.decision.reprioritize` audit event for the tie-breaker-only changes of a bulk batch (none when empty). */
export async function auditTieBreakers(ctx: ServiceContext, trx: Executor, reason: string, subjectIds: readonly string[]): Promise<void> {
  if (subjectIds.length === 0) return;
  await ctx.audit.record(trx, ctx.actor, {
    action: 'scoring.decision.reprioritize',
    subject: { type: 'decision_batch', id: newId('reprio') },
    orgId: null,
    diff: { reason, count: subjectIds.length, subjects: subjectIds },
  });
}

/**
 * Decides each subject, stores what changed in the caller's transaction — current row, detail, history,
 * CVE index — audits it and emits `scoring.decision.changed` for every changed outcome (a new decision
 * included). Decisions that did not change write nothing, so running it again is harmless.
 */
export async function decideAndStore(
  ctx: ServiceContext,
  trx: Executor,
  items: readonly EngineItem[],
  policy: PolicyVersion,
  options: EngineOptions,
): Promise<EngineOutcome[]> {
  // The last input for a subject wins when one is given twice in a batch.
  const bySubject = new Map(items.map((item) => [item.input.subjectId, item]));
  const unique = [...bySubject.values()];
  const stored = new Map<string, DecisionState>();
  for (const item of unique) if (item.state) stored.set(item.input.subjectId, item.state);
  const unread = unique.filter((i) => i.state === undefined).map((i) => i.input.subjectId);
  for (const state of await decisionStates(trx, unread)) stored.set(state.row.subject_id, state);
  // The inputs to decide from: read back as stored, or the stored ones with what is given now.
  const prepared = unique.map((item) => {
    const state = stored.get(item.input.subjectId);
    if (!item.fresh) return { item, state, inputsJson: state?.inputs ?? canonicalJson(item.input), inputsChanged: false };
    const before: StoredInputs = state === undefined ? {} : (JSON.parse(state.inputs) as StoredInputs);
    const inputs = mergedInputs(before, item.input);
    const inputsJson = canonicalJson(inputs);
    const merged: EngineItem = {
      ...item,
      input: { ...inputs, subjectId: item.input.subjectId, ...(item.input.reason === undefined ? {} : { reason: item.input.reason }) },
    };
    return { item: merged, state, inputsJson, inputsChanged: state !== undefined && canonicalJson(before) !== inputsJson };
  });
  const evidence = await gatherEvidence(
    trx,
    prepared.map((p) => p.item),
  );
  const now = ctx.clock.now();
  const results = prepared.map(({ item, state, inputsJson, inputsChanged }) => ({
    item,
    computed: computeDecision({
      input: item.input,
      inputsJson,
      inputsChanged,
      previous: state?.row ?? null,
      evidence: evidence.get(item.input.subjectId) ?? { kev: null, epss: null, cvss: null },
      policy: policy.policy,
      now,
    }),
    reason: (item.fresh ? item.input.reason : undefined) ?? options.reason,
  }));

  const changed = results.filter((r) => Object.keys(r.computed.changes).length > 0);
  await upsertDecisions(
    trx,
    changed.map((r) => r.computed.row),
  );
  await upsertDecisionDetails(
    trx,
    changed.flatMap((r) => (r.computed.detail === null ? [] : [r.computed.detail])),
  );
  await insertDecisionHistory(
    trx,
    changed.map(({ computed, reason }): DecisionHistoryRow => {
      const previous = stored.get(computed.row.subject_id)?.row ?? null;
      return {
        id: newId('dech'),
        subject_id: computed.row.subject_id,
        revision: computed.row.revision,
        at: computed.row.evaluated_at,
        reason,
        outcome: computed.row.outcome,
        previous_outcome: previous?.outcome ?? null,
        changes: JSON.stringify(computed.changes),
        explanation: computed.substantive ? JSON.stringify(computed.decision.explanation) : null,
      };
    }),
  );
  const reindexed = changed.filter((r) => r.item.fresh && (r.computed.row.revision === 1 || 'inputs' in r.computed.changes));
  await replaceSubjectCves(
    trx,
    reindexed.map((r) => r.item.input.subjectId),
    reindexed.flatMap((r) => (r.item.input.cveIds ?? []).map((cve_id) => ({ subject_id: r.item.input.subjectId, cve_id }))),
  );

  const summarized: string[] = [];
  for (const { item, computed, reason } of changed) {
    const { row, changes } = computed;
    const previous = stored.get(row.subject_id)?.row ?? null;
    const created = previous === null;
    const outcomeChanged = 'outcome' in changes;
    if (options.auditEach || outcomeChanged) {
      await ctx.audit.record(trx, ctx.actor, {
        action: created ? 'scoring.decision.create' : 'scoring.decision.update',
        subject: { type: 'decision', id: row.subject_id },
        orgId: row.org_id,
        diff: { reason, revision: row.revision, changes },
      });
    } else {
      summarized.push(row.subject_id);
    }
    if (outcomeChanged) {
      await ctx.events.emit(trx, {
        type: DECISION_CHANGED,
        subjectId: row.subject_id,
        orgId: row.org_id,
        payload: {
          outcome: row.outcome,
          previousOutcome: previous?.outcome ?? null,
          vendorFixDueAt: row.vendor_fix_due_at,
          policyVersion: row.policy_version,
          revision: row.revision,
          reason,
          changes: Object.keys(changes),
          cveIds: item.input.cveIds ?? [],
        },
      });
    }
  }
  await auditTieBreakers(ctx, trx, options.reason, summarized);
  return results.map(({ computed }) => ({
    subjectId: computed.row.subject_id,
    outcome: computed.row.outcome,
    created: !stored.has(computed.row.subject_id),
    outcomeChanged: 'outcome' in computed.changes,
    changes: Object.keys(computed.changes),
  }));
}

import { authorize } from '../../identity/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { InputError } from '../../../platform/errors.js';
import { DATA_CLASS_KEYS, type DataClass } from '../domain/data-classes.js';
import { retentionDecision } from '../domain/retention-decision.js';
import { describeRule } from '../domain/retention-table.js';
import { activeHolds } from '../store/holds.js';
import { currentRetentionTable } from '../store/retention-policy.js';
import { presentHold, walkRecords } from './record-walk.js';
import type { RetentionRegistry } from './retention-registry.js';
import type { PlannedRecord, RetentionPlan } from '../presenters.js';

export const MAX_PLAN_RECORDS = 1000;

/**
 * What the purge would do at `at` (default now), and why, deleting nothing: per class the count it would
 * delete, find held and keep for now, and the records it would delete or finds held with the rule or hold
 * that decides each.
 */
export async function retentionPlan(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  input: { readonly at?: string | undefined; readonly limit?: number | undefined } = {},
): Promise<RetentionPlan> {
  authorize(ctx.actor, 'governance.retention.plan');
  const at = input.at === undefined ? ctx.clock.now() : new Date(input.at);
  if (Number.isNaN(at.getTime()))
    throw new InputError('at must be an ISO 8601 instant', [{ pointer: '/at', detail: 'must be an ISO 8601 instant' }]);
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PLAN_RECORDS) {
    throw new InputError(`limit must be a whole number from 0 to ${MAX_PLAN_RECORDS}`, [
      { pointer: '/limit', detail: `must be 0 to ${MAX_PLAN_RECORDS}` },
    ]);
  }
  const policy = await currentRetentionTable(ctx.db.kysely);
  const holds = (await activeHolds(ctx.db.kysely)).map(presentHold);
  const counts = new Map<DataClass, { purge: number; held: number; retained: number }>(
    DATA_CLASS_KEYS.map((c) => [c, { purge: 0, held: 0, retained: 0 }]),
  );
  const records: PlannedRecord[] = [];
  let truncated = false;
  for await (const page of walkRecords(ctx.db.kysely, registry, { classes: (c) => policy.table.rules[c].keep !== true })) {
    for (const { source, dataClass, record, subject } of page) {
      const decision = retentionDecision(policy.table.rules[dataClass], subject, holds, at);
      const count = counts.get(dataClass) as { purge: number; held: number; retained: number };
      if (decision.outcome === 'retained' || decision.outcome === 'kept') {
        count.retained++;
        continue;
      }
      count[decision.outcome]++;
      if (records.length >= limit) {
        truncated = true;
        continue;
      }
      records.push({
        recordId: record.recordId,
        dataClass,
        module: source.module,
        ownerOrgId: record.ownerOrgId,
        outcome: decision.outcome,
        expiresAt: decision.expiresAt,
        reason: decision.reason,
        holdIds: decision.outcome === 'held' ? [...decision.holdIds] : [],
      });
    }
  }
  return {
    at: at.toISOString(),
    policyVersion: policy.version,
    classes: DATA_CLASS_KEYS.map((dataClass) => ({
      dataClass,
      rule: describeRule(dataClass, policy.table.rules[dataClass]),
      kept: policy.table.rules[dataClass].keep === true,
      ...(counts.get(dataClass) as { purge: number; held: number; retained: number }),
    })),
    records,
    truncated,
  };
}

import type { Executor } from '../../../platform/db/index.js';
import { independentConfirmers, type IndependenceConflict } from '../domain/independence.js';
import { reportsOfClusters } from '../store/reports.js';
import type { AttemptRow } from '../store/tables.js';
import { attemptsOf } from '../store/work.js';

export interface Confirmations {
  /** The organisations whose confirmations count towards the quorum now. */
  readonly orgIds: string[];
  readonly attempts: AttemptRow[];
  readonly reporterOrgIds: ReadonlySet<string>;
}

export async function reporterOrgsOf(executor: Executor, clusterId: string): Promise<Set<string>> {
  return new Set((await reportsOfClusters(executor, [clusterId])).map((r) => r.reporter_org_id));
}

/** The cluster's attempts and which organisations' confirmations count, against its current reporters. */
export async function confirmationsOf(executor: Executor, clusterId: string, reporterOrgIds?: ReadonlySet<string>): Promise<Confirmations> {
  const reporters = reporterOrgIds ?? (await reporterOrgsOf(executor, clusterId));
  const attempts = await attemptsOf(executor, clusterId);
  const facts = attempts.map((a) => ({
    validatorOrgId: a.validator_org_id,
    confirms: a.confirms === 1,
    conflicts: JSON.parse(a.conflicts) as IndependenceConflict[],
  }));
  return { orgIds: independentConfirmers(facts, reporters), attempts, reporterOrgIds: reporters };
}

import {
  policyDocument,
  versionedPolicyStore,
  type Executor,
  type Page,
  type PageRequest,
  type PolicyVersion,
} from '../../../platform/db/index.js';
import { DEFAULT_DISCLOSURE_POLICY, type DisclosurePolicy } from '../domain/disclosure-policy.js';
import type { DisclosurePolicyRow } from './tables.js';

const policies = versionedPolicyStore<DisclosurePolicyRow>('cases_disclosure_policy', 'version');

/** The built-in defaults, version 0: in force until a coordinator admin saves a version. */
const DEFAULTS: PolicyVersion<DisclosurePolicy> = Object.freeze({
  version: 0,
  policy: DEFAULT_DISCLOSURE_POLICY,
  note: 'built-in defaults',
  createdBy: null,
  createdAt: null,
});

function present(row: DisclosurePolicyRow): PolicyVersion<DisclosurePolicy> {
  // Over the defaults, so that a field added later has its default in versions saved before it.
  const policy = { ...DEFAULT_DISCLOSURE_POLICY, ...policyDocument<Partial<DisclosurePolicy>>(row) };
  return { version: row.version, policy, note: row.note, createdBy: row.created_by, createdAt: row.created_at };
}

/** The version in force, read in the caller's executor (a transaction sees its own change). */
export async function currentDisclosurePolicy(executor: Executor): Promise<PolicyVersion<DisclosurePolicy>> {
  const row = await policies.latest(executor);
  return row === undefined ? DEFAULTS : present(row);
}

/** Every saved version, newest first (the defaults, never saved, are not listed). */
export async function listDisclosurePolicies(executor: Executor, request: PageRequest): Promise<Page<PolicyVersion<DisclosurePolicy>>> {
  const page = await policies.list(executor, request);
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}

export async function saveDisclosurePolicy(
  executor: Executor,
  saved: PolicyVersion<DisclosurePolicy> & { readonly createdBy: string; readonly createdAt: string },
): Promise<void> {
  await policies.insert(executor, {
    version: saved.version,
    document: JSON.stringify(saved.policy),
    note: saved.note,
    created_by: saved.createdBy,
    created_at: saved.createdAt,
  });
}

import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import type { CaseDetail } from '../presenters.js';
import { openCase } from '../service/cases.js';
import { addParticipant } from '../service/participants.js';
import { acceptedCluster } from './cases.js';

export interface CaseScene {
  readonly researcher: TestUser;
  readonly vendors: readonly TestUser[];
  readonly opened: CaseDetail;
  readonly clusterId: string;
}

/**
 * A case opened from one accepted cluster (aliased CVE-2026-4242), with `vendorCount` vendors taking part. The
 * researcher's report is AMBER, shared with no one: the vendors may not read it unless `reportTlp` is GREEN.
 */
export async function caseWithVendors(
  t: TestRuntime,
  vendorCount: number,
  options: { exploited?: boolean; reportTlp?: 'AMBER' | 'GREEN' } = {},
): Promise<CaseScene> {
  const researcher = await t.org('researcher');
  const clusterId = await acceptedCluster(t, researcher, {
    aliases: ['CVE-2026-4242'],
    purl: 'pkg:npm/%40acme/widget@2.4.0',
    tlp: options.reportTlp ?? 'AMBER',
  });
  const opened = await openCase(t.as(t.coordinatorAdmin), { clusterIds: [clusterId], exploited: options.exploited ?? false });
  const vendors: TestUser[] = [];
  for (let i = 0; i < vendorCount; i += 1) {
    const vendor = await t.org('vendor');
    await addParticipant(t.as(t.coordinatorAdmin), opened.id, { orgId: vendor.orgId });
    vendors.push(vendor);
  }
  return { researcher, vendors, opened, clusterId };
}

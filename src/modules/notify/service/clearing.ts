import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { canonicalJson, sha256Hex } from '../../../platform/hash.js';
import { itemsOfEach } from '../store/remediation.js';
import type { NoticeDraft } from './fan-out.js';
import { applyReports } from './remediation.js';
import { viewRemediation, type RemediationReport, type RemediationStatus } from '../domain/remediation.js';
import type { RemediationRow } from '../store/tables.js';

/** What clearing an advisory's assets for some operators asks for (an exposure change's cleared part). */
export interface ClearRequest {
  readonly advisoryId: string;
  readonly orgIds: readonly string[];
  readonly assetIds: readonly string[];
  readonly reason: string;
  readonly sourceEventId: string;
}

/** What the system reports for an item whose operator's own new inventory removed the affected version. */
const PATCHED: RemediationReport = {
  status: 'patched',
  mitigation: null,
  justification: null,
  expiresAt: null,
  note: "the asset's new SBOM no longer holds an affected version",
};

/** What it reports for an item the advisory no longer matches (a corrected advisory). */
const NOT_AFFECTED: RemediationReport = {
  status: 'not_affected',
  mitigation: null,
  justification: 'vulnerable_code_not_present',
  expiresAt: null,
  note: 'the advisory no longer matches this asset',
};

/**
 * Advisories no longer affect some notified assets (a new SBOM without the affected version, a corrected
 * advisory), in the caller's transaction: their open items are closed for each operator — `patched` when its
 * own new inventory removed the affected version, else `not_affected` (vulnerable code not present) — and
 * the `advisory.cleared` notices that tell each operator so are returned for the caller's fan-out, with the
 * count of items closed. The items of all the requests are read at once (an SBOM upload clears dozens);
 * each request closes what it would have found open after the ones before it.
 */
export async function closeClearedItems(
  ctx: ServiceContext,
  trx: Executor,
  clears: readonly ClearRequest[],
): Promise<{ readonly drafts: NoticeDraft[]; readonly cleared: number }> {
  const now = ctx.clock.now();
  const drafts: NoticeDraft[] = [];
  let cleared = 0;
  const stored = await itemsOfEach(
    trx,
    [...new Set(clears.flatMap((c) => c.orgIds))],
    [...new Set(clears.map((c) => c.advisoryId))],
    [...new Set(clears.flatMap((c) => c.assetIds))],
  );
  const closed = new Set<string>();
  const groups: { readonly input: ClearRequest; readonly orgId: string; readonly items: RemediationRow[] }[] = [];
  for (const input of clears) {
    const assets = new Set(input.assetIds);
    for (const orgId of input.orgIds) {
      const items = (stored.get(`${orgId}\u0000${input.advisoryId}`) ?? []).filter(
        (i) =>
          assets.has(i.asset_id) &&
          !closed.has(i.id) &&
          viewRemediation({ status: i.status as RemediationStatus, expiresAt: i.expires_at, dueAt: i.due_at }, now).open,
      );
      if (items.length === 0) continue;
      for (const item of items) closed.add(item.id);
      groups.push({ input, orgId, items });
    }
  }
  const upgraded = (input: ClearRequest) => input.reason === 'sbom-uploaded';
  await applyReports(
    ctx,
    trx,
    groups.map(({ input, items }) => ({ items, report: upgraded(input) ? PATCHED : NOT_AFFECTED })),
    'inventory',
    'system:inventory',
  );
  for (const { input, orgId, items } of groups) {
    const status = upgraded(input) ? 'patched' : 'not_affected';
    drafts.push({
      orgId,
      type: 'advisory.cleared',
      dedupKey: `advisory.cleared:${input.advisoryId}:${sha256Hex(canonicalJson(items.map((i) => i.asset_id).sort())).slice(0, 32)}:${input.sourceEventId}`,
      subjectId: input.advisoryId,
      sourceEventId: input.sourceEventId,
      title: `${input.advisoryId} no longer affects ${items.length} of your assets`,
      tlp: 'AMBER',
      build: (notificationId) => ({
        data: {
          schemaVersion: 1,
          notificationId,
          orgId,
          advisoryId: input.advisoryId,
          reason: upgraded(input) ? 'inventory-updated' : 'advisory-changed',
          assets: items.map((i) => ({ assetId: i.asset_id, name: i.asset_name, status })),
        },
        facets: {
          type: 'advisory.cleared',
          tlp: 'AMBER',
          sectors: [...new Set(items.flatMap((i) => (i.sector === null ? [] : [i.sector])))].sort(),
          purls: [],
        },
      }),
    });
    cleared += items.length;
  }
  return { drafts, cleared };
}

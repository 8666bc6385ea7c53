import type { Actor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { advisoryDocument, listAdvisories } from '../../advisories/index.js';
import { osvRecord } from '../domain/sharing/osv-export.js';
import { publishedAdvisoriesOfCsaf } from '../domain/sharing/osv-from-csaf.js';

/** Advisories read per page: a page of documents in memory at a time. */
const PAGE = 100;

/**
 * OSV records of the published advisories `recipient` may read (advisories' own access policy, asked as the
 * recipient): one per vulnerability of each advisory's latest published revision, changed after `since`
 * when given. Drafts are never exported this way, whoever reads them.
 */
export async function osvRecordsFor(ctx: ServiceContext, recipient: Actor, since?: string): Promise<Record<string, unknown>[]> {
  const reader = asActor(ctx, recipient);
  const records: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAdvisories(reader, { status: 'published', limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    for (const advisory of page.items) {
      if (since !== undefined && (advisory.currentReleaseAt ?? advisory.updatedAt) <= new Date(since).toISOString()) continue;
      const { bytes } = await advisoryDocument(reader, advisory.id, { kind: 'published' });
      const csaf = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      records.push(...publishedAdvisoriesOfCsaf(csaf).map(osvRecord));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return records;
}

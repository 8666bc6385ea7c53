import { authorize, canSee, getOrg, isCoordinatorRecipient, recipientsByRecord } from '../../identity/index.js';
import { isTlp } from '../../../platform/tlp.js';
import { systemActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { DATA_CLASSES, type DataClass } from '../domain/data-classes.js';
import { listTombstoneRows } from '../store/purges.js';
import { presentTombstone, type OrgExport, type Tombstone } from '../presenters.js';
import { sourcesByClass, type RetentionRegistry } from './retention-registry.js';

/** Records one organisation export may carry; beyond it the export says it was cut short. */
export const MAX_ORG_EXPORT_RECORDS = 50_000;
const PAGE = 500;

/** Classes derived from many parties' reports: their content follows those reports, so only ids are exported. */
const DERIVED: ReadonlySet<DataClass> = new Set(['cluster', 'case']);

/**
 * The records of an organisation's export that its reader may see: a labelled record through the one
 * access policy (TLP:RED reaches its named recipients, not every admin of the owner), a derived one as its
 * id alone; the clearinghouse's own staff see all.
 */
async function visibleContent(
  ctx: ServiceContext,
  dataClass: DataClass,
  ownerOrgId: string,
  rows: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  if (isCoordinatorRecipient(ctx.actor)) return [...rows];
  if (DERIVED.has(dataClass)) return rows.map((r) => ({ id: r.id, withheld: 'derived from reports: see the findings you may read' }));
  const labelled = rows.filter((r) => typeof r.tlp === 'string').map((r) => String(r.id));
  const recipients = await recipientsByRecord(ctx.db.kysely, labelled);
  return rows.filter((r) => {
    const tlp = r.tlp;
    if (typeof tlp !== 'string') return true;
    return isTlp(tlp) && canSee(ctx.actor, { ownerOrgId, tlp, createdBy: null, recipients: recipients.get(String(r.id)) ?? [] });
  });
}

/** The organisation an export or a removal is about: the caller's own unless a coordinator admin names one. */
export async function targetOrg(ctx: ServiceContext, orgId: string | undefined) {
  const id = orgId ?? (ctx.actor.kind === 'user' ? ctx.actor.orgId : undefined);
  if (id === undefined) throw new InputError('orgId is required', [{ pointer: '/orgId', detail: 'is required' }]);
  const org = await getOrg(asActor(ctx, systemActor('governance')), id).catch(() => null);
  if (org === null) throw new NotFoundError(`no organisation ${id}`);
  return org;
}

/**
 * Everything the clearinghouse holds about an organisation — the records it owns, class by class, read
 * through each module's retention source, and the tombstones of what was purged — for its admins (or a
 * coordinator admin). Audited as `governance.org.export`.
 */
export async function exportOrgData(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  input: { readonly orgId?: string | undefined } = {},
): Promise<OrgExport> {
  const org = await targetOrg(ctx, input.orgId);
  authorize(ctx.actor, 'governance.org.export', { ownerOrgId: org.id });
  const db = ctx.db.kysely;
  let total = 0;
  let truncated = false;
  const classes: OrgExport['classes'][number][] = [];
  for (const { source, dataClass } of sourcesByClass(registry)) {
    const records: Record<string, unknown>[] = [];
    let afterId: string | null = null;
    while (!truncated) {
      const page = await source.records(db, { dataClass, afterId, limit: PAGE, orgId: org.id });
      if (page.length === 0) break;
      const room = MAX_ORG_EXPORT_RECORDS - total;
      const taken = page.slice(0, room);
      records.push(
        ...(await visibleContent(
          ctx,
          dataClass,
          org.id,
          await source.content(
            db,
            dataClass,
            taken.map((r) => r.recordId),
          ),
        )),
      );
      total += taken.length;
      if (taken.length < page.length) truncated = true;
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]?.recordId ?? null;
    }
    classes.push({ dataClass, description: DATA_CLASSES[dataClass], module: source.module, records });
  }
  const tombstones: Tombstone[] = [];
  for (let cursor: string | null = null; ;) {
    const page = await listTombstoneRows(db, { orgId: org.id, limit: 500, ...(cursor === null ? {} : { cursor }) });
    tombstones.push(...page.items.map(presentTombstone));
    if (page.nextCursor === null || tombstones.length >= MAX_ORG_EXPORT_RECORDS) break;
    cursor = page.nextCursor;
  }
  await withTransaction(ctx.db, (trx) =>
    ctx.audit.record(trx, ctx.actor, {
      action: 'governance.org.export',
      subject: { type: 'org', id: org.id },
      orgId: org.id,
      diff: { records: total, tombstones: tombstones.length, truncated },
    }),
  );
  return { orgId: org.id, orgName: org.name, generatedAt: ctx.clock.now().toISOString(), classes, tombstones, truncated };
}

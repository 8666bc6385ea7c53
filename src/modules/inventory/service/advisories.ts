import type { ServiceContext } from '../../../platform/context.js';
import { writeTogether, type Executor, type Page, type PageRequest, type WriteStatement } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { canonicalJson, sha256Hex } from '../../../platform/hash.js';
import { isTlp, type Tlp } from '../../../platform/tlp.js';
import type { Actor } from '../../../platform/actor.js';
import { canSee, listOrgs, recipientsByRecord, trackWork, visibleTo } from '../../identity/index.js';
import { readOsvRecord, type OsvRecord } from '../domain/osv-record.js';
import { readValidOsvRecord } from './osv-input.js';
import { presentAdvisory, type Advisory, type AdvisoryImport, type UpsertResult } from '../presenters.js';
import { findAdvisories, findAdvisory, listAdvisories as listAdvisoryRows, saveAdvisoryStatements } from '../store/advisories.js';
import { appendChanges, appendChangesStatement, seqRange } from '../store/changes.js';
import type { AdvisoryRow } from '../store/tables.js';
import { requireAdvisoryManager } from './access.js';
import { ADVISORY_CHANGED, type AdvisoryChangedPayload } from '../events.js';
import { withInventoryLock } from './match-lock.js';

export interface AdvisorySource {
  /** Where the advisories come from: `osv-import`, `intake`, `api`, … */
  readonly source: string;
  /** Their TLP 2.0 label: who may see them and the exposure they cause. */
  readonly tlp: Tlp;
  /** The organisation that owns them; default the caller's, or the coordinator's for the system. */
  readonly ownerOrgId?: string | undefined;
  /** The user who reported them (who reads them at every TLP); default the caller. */
  readonly createdBy?: string | null | undefined;
}

export interface AdvisoryInput {
  /** An OSV record, parsed from JSON or YAML. */
  readonly record: unknown;
  /** Where this one came from (a file, an intake submission id); optional. */
  readonly sourceRef?: string | null | undefined;
}

/**
 * `created`, `updated` (content, TLP or withdrawal changed), `unchanged` (same content: nothing written),
 * `stale` (its `modified` is older than the stored one's: the stored one is kept).
 */
export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/** What upserting one record did: its id, outcome and revision after it. */
export interface AdvisoryUpsert {
  readonly id: string;
  readonly outcome: UpsertOutcome;
  readonly revision: number;
}

const isNewer = (a: string | undefined | null, b: string | undefined | null): boolean =>
  a !== undefined &&
  a !== null &&
  b !== undefined &&
  b !== null &&
  Number.isFinite(Date.parse(a)) &&
  Number.isFinite(Date.parse(b)) &&
  Date.parse(a) > Date.parse(b);

async function ownerOf(ctx: ServiceContext, source: AdvisorySource): Promise<string> {
  if (source.ownerOrgId !== undefined) return source.ownerOrgId;
  if (ctx.actor.kind === 'user') return ctx.actor.orgId;
  const coordinator = (await listOrgs(ctx, { kind: 'coordinator', limit: 1 })).items[0];
  if (coordinator === undefined) throw new Error('no coordinator organisation: run `clearinghouse init` first');
  return coordinator.id;
}

function advisoryRow(
  ctx: ServiceContext,
  record: OsvRecord,
  source: AdvisorySource,
  sourceRef: string | null,
  owner: string,
  hash: string,
  existing: AdvisoryRow | undefined,
): AdvisoryRow {
  const now = ctx.clock.now().toISOString();
  return {
    id: record.id,
    owner_org_id: existing?.owner_org_id ?? owner,
    tlp: source.tlp,
    created_by: existing?.created_by ?? source.createdBy ?? (ctx.actor.kind === 'user' ? ctx.actor.userId : null),
    source: source.source,
    source_ref: sourceRef,
    modified: record.modified ?? null,
    withdrawn: record.withdrawn ?? null,
    summary: record.summary ?? null,
    aliases: JSON.stringify(record.aliases ?? []),
    record: JSON.stringify(record),
    content_hash: hash,
    revision: (existing?.revision ?? 0) + 1,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
}

/**
 * Creates or updates advisories in one transaction, in order. Each new or changed one is audited, logged
 * for the match indexes, and announced as `inventory.advisory.changed`, whose consumer runs the reverse
 * match against every inventory. Coordinator admins and analysts, and the system (imports, intake).
 * Records from outside are checked against the OSV schema too (`readValidOsvRecord`); `derived` ones, built by
 * this product from intake findings already validated as CSAF / CVE / OSV, only for the fields matching reads.
 * @throws InputError naming the first malformed record (`/records/<i>/…`) before anything is written;
 * NotAllowedError for anyone else.
 */
export async function upsertAdvisories(
  ctx: ServiceContext,
  items: AdvisoryInput[],
  source: AdvisorySource,
  options: { readonly derived?: boolean } = {},
): Promise<AdvisoryUpsert[]> {
  requireAdvisoryManager(ctx.actor);
  if (!isTlp(source.tlp))
    throw new InputError(`unknown TLP label ${JSON.stringify(source.tlp)}`, [{ pointer: '/tlp', detail: 'must be a TLP 2.0 label' }]);
  const records = items.map((item, i) => {
    try {
      // A record this product derived from an intake finding was checked against its own format's schema.
      return options.derived ? readOsvRecord(item.record) : readValidOsvRecord(item.record);
    } catch (error) {
      if (!(error instanceof InputError) || items.length === 1) throw error;
      throw new InputError(
        `record ${i}: ${error.message}`,
        error.issues.map((x) => ({ ...x, pointer: `/records/${i}${x.pointer}` })),
        { code: error.code },
      );
    }
  });
  const owner = await ownerOf(ctx, source);
  // Hashed before the lock, and the stored versions read in one statement under it: every other process's
  // uploads and imports wait for this transaction (one round trip per record was 500 for a CLI batch).
  const hashes = records.map((record) => sha256Hex(canonicalJson({ record, tlp: source.tlp })));
  return withInventoryLock(ctx, async ({ trx, indexes, afterCommit }) => {
    const stored = new Map((await findAdvisories(trx, [...new Set(records.map((r) => r.id))])).map((row) => [row.id, row] as const));
    const seen = new Set<string>();
    const results: AdvisoryUpsert[] = [];
    const changed: { row: AdvisoryRow; record: OsvRecord; verb: 'create' | 'update' }[] = [];
    // The batch's writes go together (one statement on PostgreSQL) with the change log's, at the end.
    const writes: WriteStatement[] = [];
    for (const [i, record] of records.entries()) {
      const hash = hashes[i] as string;
      // A record named again in the same batch is compared with what its first occurrence wrote, as read back.
      if (seen.has(record.id)) await writeTogether(trx, ctx.db.caps, writes.splice(0));
      const existing = seen.has(record.id) ? await findAdvisory(trx, record.id) : stored.get(record.id);
      seen.add(record.id);
      if (existing !== undefined && (existing.content_hash === hash || isNewer(existing.modified, record.modified))) {
        results.push({ id: record.id, outcome: existing.content_hash === hash ? 'unchanged' : 'stale', revision: existing.revision });
        continue;
      }
      const row = advisoryRow(ctx, record, source, items[i]?.sourceRef ?? null, owner, hash, existing);
      writes.push(...saveAdvisoryStatements(trx, row, existing !== undefined));
      changed.push({ row, record, verb: existing === undefined ? 'create' : 'update' });
      results.push({ id: row.id, outcome: existing === undefined ? 'created' : 'updated', revision: row.revision });
    }
    // The batch's changes, audit lines and events in a few statements, not a few per record.
    const log = changed.map(({ row }) => ({ kind: 'advisory' as const, subject_id: row.id, at: row.updated_at }));
    // At most 500 changes in the statement that logs them (an import's batch); a larger batch logs them apart.
    const together = log.length > 0 && log.length <= 500;
    const written = await writeTogether<{ seq: number | string }>(trx, ctx.db.caps, [
      ...writes,
      ...(together ? [appendChangesStatement(trx, ctx.db.caps, log)] : []),
    ]);
    const seqs = together ? seqRange(written) : await appendChanges(trx, ctx.db.caps, log);
    await recordChanges(ctx, trx, changed);
    if (seqs !== undefined) {
      afterCommit(() =>
        indexes.applyLocal(seqs.first, seqs.last, (i) => {
          for (const { record } of changed) i.advisories.upsert(record);
        }),
      );
    }
    return results;
  });
}

async function recordChanges(
  ctx: ServiceContext,
  trx: Executor,
  changed: readonly { row: AdvisoryRow; record: OsvRecord; verb: 'create' | 'update' }[],
): Promise<void> {
  if (changed.length === 0) return;
  for (const { row, record, verb } of changed) {
    await ctx.audit.record(trx, ctx.actor, {
      action: `inventory.advisory.${verb}`,
      subject: { type: 'advisory', id: row.id },
      orgId: row.owner_org_id,
      diff: {
        source: row.source,
        sourceRef: row.source_ref,
        tlp: row.tlp,
        revision: row.revision,
        modified: row.modified,
        withdrawn: row.withdrawn,
        affected: record.affected?.length ?? 0,
      },
    });
  }
  await ctx.events.emitAll(
    trx,
    ADVISORY_CHANGED,
    changed.map(({ row, record }) => {
      const payload: AdvisoryChangedPayload = {
        advisoryId: row.id,
        aliases: record.aliases ?? [],
        revision: row.revision,
        withdrawn: row.withdrawn !== null,
        tlp: row.tlp as Tlp,
      };
      return { subjectId: row.id, orgId: row.owner_org_id, payload };
    }),
    // One reverse match per job: an import's progress (`--wait`, jobs status) counts them.
    { jobPerEvent: true },
  );
}

/**
 * Creates or updates one advisory: see {@link upsertAdvisories}. Returns it as stored (the stored one for
 * `unchanged` and `stale`). This is what intake's consumer calls for each advisory it accepts.
 */
/** Most advisories one import call takes: one transaction, one lock. */
export const MAX_IMPORT_BATCH = 500;

/**
 * Creates or updates a batch of advisories (the CLI's `inventory advisories import`, locally or through the
 * API, in batches): {@link upsertAdvisories}, counted, as one background work whose reverse match the
 * caller may follow.
 * @throws InputError for a batch larger than {@link MAX_IMPORT_BATCH} and as {@link upsertAdvisories} does.
 */
export async function importAdvisories(ctx: ServiceContext, items: AdvisoryInput[], source: AdvisorySource): Promise<AdvisoryImport> {
  if (items.length > MAX_IMPORT_BATCH)
    throw new InputError(`at most ${MAX_IMPORT_BATCH} advisories per import`, [
      { pointer: '/records', detail: `must hold at most ${MAX_IMPORT_BATCH} items` },
    ]);
  const { result, work } = await trackWork(ctx, 'inventory.advisory.import', () => upsertAdvisories(ctx, items, source));
  const counts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0, stale: 0 };
  for (const r of result) counts[r.outcome] += 1;
  return { counts, work };
}

export async function upsertAdvisory(
  ctx: ServiceContext,
  record: unknown,
  source: AdvisorySource & { readonly sourceRef?: string | null },
): Promise<UpsertResult> {
  const [result] = await upsertAdvisories(ctx, [{ record, sourceRef: source.sourceRef }], source);
  const row = await findAdvisory(ctx.db.kysely, result?.id ?? '');
  if (result === undefined || row === undefined) throw new Error('the advisory vanished after its upsert');
  return { advisory: presentAdvisory(row), outcome: result.outcome };
}

/** Whether the actor may see an advisory (its TLP, owner and recipients), by the access policy. */
export async function canSeeAdvisory(ctx: ServiceContext, executor: Executor, row: AdvisoryRow): Promise<boolean> {
  return (await readersOf(executor, [row]))[0]?.(ctx.actor) === true;
}

/**
 * For each advisory row, in order, whether an actor may see it by the access policy (its TLP, owner and
 * recipients): the recipients of all of them read with one query, the policy asked per actor.
 */
export async function readersOf(executor: Executor, rows: readonly AdvisoryRow[]): Promise<((actor: Actor) => boolean)[]> {
  const recipients = await recipientsByRecord(
    executor,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const record = {
      ownerOrgId: row.owner_org_id,
      tlp: row.tlp as Tlp,
      createdBy: row.created_by,
      recipients: recipients.get(row.id) ?? [],
    };
    return (actor) => canSee(actor, record);
  });
}

/** An advisory the caller may see, and whether another actor may (as {@link getAdvisory} would answer it). */
export interface ReadableAdvisory {
  readonly advisory: Advisory;
  readableBy(actor: Actor): boolean;
}

/**
 * A fact lent to notify's targeting: the advisories of these ids that the caller may see, each with whether
 * another actor (an operator it may tell) may read it — {@link getAdvisory} for the caller and for every such
 * reader, with two queries however many advisories and readers there are.
 */
export async function readableAdvisories(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, ReadableAdvisory>> {
  const rows = await findAdvisories(ctx.db.kysely, [...new Set(ids)]);
  const readers = await readersOf(ctx.db.kysely, rows);
  const out = new Map<string, ReadableAdvisory>();
  rows.forEach((row, i) => {
    const readableBy = readers[i] ?? (() => false);
    if (readableBy(ctx.actor)) out.set(row.id, { advisory: presentAdvisory(row), readableBy });
  });
  return out;
}

/** One advisory; NotFoundError when it does not exist or its TLP keeps it from the caller. */
export async function getAdvisory(ctx: ServiceContext, id: string): Promise<Advisory> {
  const row = await findAdvisory(ctx.db.kysely, id);
  if (row === undefined || !(await canSeeAdvisory(ctx, ctx.db.kysely, row))) throw new NotFoundError(`no advisory ${id}`);
  return presentAdvisory(row);
}

/** Advisories the caller may see, by id; `alias` keeps the one with that id or alias (CVE-…, GHSA-…). */
export async function listAdvisories(ctx: ServiceContext, request: PageRequest & { alias?: string | undefined }): Promise<Page<Advisory>> {
  const page = await listAdvisoryRows(ctx.db.kysely, (table) => visibleTo(ctx.actor, table), { alias: request.alias }, request);
  return { items: page.items.map(presentAdvisory), nextCursor: page.nextCursor };
}

import type { Kysely } from 'kysely';
import { describeActor, type Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { ConflictError, type FieldIssue } from '../errors.js';
import { rejectInput } from '../input/issues.js';
import type { DialectCapabilities } from './capabilities.js';
import { serializeOn, tables, withTransaction, type AnyKysely, type Database, type Executor } from './database.js';
import { paginate, type Page, type PageRequest } from './pagination.js';

/**
 * Versioned policy (DESIGN §5, "Configuration"): a table of versions, each a whole JSON document with who
 * saved it, when and why; the highest version is in force and every earlier one stays, because records
 * decided under it keep naming it. Each module keeps its table and its document's rules; this is the one
 * store of such tables.
 */

/** One version of a policy as the API answers it. */
export interface PolicyVersion<P> {
  /** Counted from 1 (0 for built-in defaults never saved); never reused. */
  readonly version: number;
  readonly policy: P;
  readonly note: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string | null;
}

/** The columns every policy table has, beside its integer version column. */
export interface PolicyVersionRow {
  /** JSON text; PostgreSQL's json columns answer it parsed. */
  readonly document: unknown;
  readonly note: string | null;
  readonly created_by: string | null;
  readonly created_at: string | null;
}

export interface VersionedPolicyStore<R extends PolicyVersionRow> {
  /** The version in force: the highest; undefined when none was saved. */
  latest(executor: Executor): Promise<R | undefined>;
  insert(executor: Executor, row: R): Promise<void>;
  /** Every version, newest first. */
  list(executor: Executor, page: PageRequest): Promise<Page<R>>;
}

/** The store of the policy table `table`, whose versions count up in `versionColumn`. */
export function versionedPolicyStore<R extends PolicyVersionRow>(table: string, versionColumn: keyof R & string): VersionedPolicyStore<R> {
  // One table whose name is ours, not user input; Kysely quotes it.
  const db = (executor: Executor): Kysely<Record<string, R>> => tables<Record<string, R>>(executor);
  const versionOf = (row: R): number => row[versionColumn] as number;
  return {
    latest: async (executor) =>
      (await db(executor)
        .selectFrom(table)
        .selectAll()
        .orderBy(versionColumn as never, 'desc')
        .limit(1)
        .executeTakeFirst()) as R | undefined,
    insert: async (executor, row) => {
      await db(executor)
        .insertInto(table)
        .values(row as never)
        .execute();
    },
    list: async (executor, page) =>
      (await paginate(db(executor).selectFrom(table).selectAll(), page, {
        sort: `${table}.${versionColumn}`,
        id: `${table}.${versionColumn}`,
        sortOf: (r) => versionOf(r as R),
        idOf: (r) => String(versionOf(r as R)),
        direction: 'desc',
      })) as Page<R>,
  };
}

/** A stored document, parsed (SQLite answers JSON text; PostgreSQL a json column parsed). */
export function policyDocument<P>(row: PolicyVersionRow): P {
  return (typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as P;
}

/** The top-level fields a new version changes, each as [before, after], for the audit line. */
export function changedFields(before: object, after: object): Record<string, [unknown, unknown]> {
  const old = before as Record<string, unknown>;
  const changed: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value) !== JSON.stringify(old[key])) changed[key] = [old[key], value];
  }
  return changed;
}

/** Creates the policy table `table` with the columns every one has (in a migration; the version is its key). */
export async function createPolicyTable(db: AnyKysely, caps: DialectCapabilities, table: string): Promise<void> {
  await db.schema
    .createTable(table)
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document', caps.types.json, (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
    .execute();
}

/**
 * Refuses a save based on a version no longer in force (`expected`, the version the caller read; undefined
 * skips the check), so that two admins never overwrite each other unseen: ConflictError `code` naming both.
 * Call it in the saving transaction, after serializing on the policy.
 */
export function requireVersionInForce(what: string, expected: unknown, inForce: number, code: string): void {
  if (expected !== undefined && expected !== inForce)
    throw new ConflictError(`${what} is at version ${inForce} now, not ${String(expected)}: read it again`, { code });
}

/**
 * The issues of the fields every policy save carries beside its document: `version`, the version read (a
 * whole number from `lowest`, or absent), and `note`, why it changes (text of at most 1000 characters).
 */
export function policySaveIssues(input: { readonly version?: unknown; readonly note?: unknown }, lowest: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { version, note } = input;
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < lowest))
    issues.push({ pointer: '/version', detail: `must be the version number you read (from ${lowest})` });
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 1000))
    issues.push({ pointer: '/note', detail: 'must be text of at most 1000 characters' });
  return issues;
}

/** What saving a version needs of the service context (the platform's `ServiceContext` has it). */
export interface PolicySaveContext {
  readonly db: Database;
  readonly clock: Clock;
  readonly actor: Actor;
  readonly audit: {
    record(
      trx: Executor,
      actor: Actor,
      entry: { action: string; subject: { type: string; id: string }; orgId?: string | null; diff?: unknown },
    ): Promise<void>;
  };
}

/** Who saves the next version, when, why, and under which number: handed to {@link PolicySave.build}. */
export interface NextPolicyVersion {
  readonly version: number;
  /** The caller's note as given (a string), or null. */
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** How one module saves its policy: its names, its document's checks, and its store. */
export interface PolicySave<V extends { readonly version: number }> {
  /** The policy as messages name it, e.g. `the retention table`. */
  readonly what: string;
  /** The ConflictError code when the version read is no longer in force. */
  readonly conflictCode: string;
  /** The lowest version a caller may have read (0 when built-in defaults are version 0). */
  readonly lowestVersion: number;
  /** The audit action, `<module>.<noun>.update`, and the subject type; the subject id is the new version. */
  readonly action: string;
  readonly subjectType: string;
  /** The document's issues (schema, then rules), pointers under the field that carries it. */
  check(input: unknown): FieldIssue[];
  /** The version in force, read in the saving transaction. */
  current(trx: Executor): Promise<V>;
  /** The version to store from the checked document. */
  build(document: unknown, next: NextPolicyVersion): V;
  store(trx: Executor, saved: V): Promise<void>;
  /** What the audit line records of the change. */
  diff(previous: V, saved: V): unknown;
}

/**
 * Saves the next version of a policy: checks the document (`input[field]`) and the save's `version` and `note`
 * (InputError naming each), then in one transaction serialized on the policy refuses a version read that is no
 * longer in force (ConflictError `save.conflictCode`: two admins never overwrite each other unseen), stores
 * the next version and writes its audit line. The caller authorizes first.
 */
export async function saveNextPolicyVersion<V extends { readonly version: number }>(
  ctx: PolicySaveContext,
  save: PolicySave<V>,
  input: { readonly document: unknown; readonly version?: unknown; readonly note?: unknown },
): Promise<V> {
  const issues = save.check(input.document);
  issues.push(...policySaveIssues(input, save.lowestVersion));
  if (issues.length > 0) rejectInput(`${save.what} is not valid`, issues);
  return withTransaction(ctx.db, async (trx) => {
    // Two admins saving at once get consecutive versions, and the second its conflict, never the same number.
    await serializeOn(trx, ctx.db.caps, `policy:${save.subjectType}`);
    const previous = await save.current(trx);
    requireVersionInForce(save.what, input.version, previous.version, save.conflictCode);
    const saved = save.build(input.document, {
      version: previous.version + 1,
      note: typeof input.note === 'string' ? input.note : null,
      createdBy: describeActor(ctx.actor),
      createdAt: ctx.clock.now().toISOString(),
    });
    await save.store(trx, saved);
    await ctx.audit.record(trx, ctx.actor, {
      action: save.action,
      subject: { type: save.subjectType, id: String(saved.version) },
      orgId: null,
      diff: save.diff(previous, saved),
    });
    return saved;
  });
}

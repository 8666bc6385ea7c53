import type { Kysely } from 'kysely';
import { ConflictError, type FieldIssue } from '../errors.js';
import type { DialectCapabilities } from './capabilities.js';
import { tables, type AnyKysely, type Executor } from './database.js';
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

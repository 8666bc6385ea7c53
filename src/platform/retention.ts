import type { SelectQueryBuilder } from 'kysely';
import type { DialectCapabilities, Executor } from './db/index.js';

/**
 * What a module tells retention about the records it stores (DESIGN §5, issue 18). Each module that holds
 * records of a data class (`raw_submission`, `poc_evidence`, … — governance owns the list and the rules)
 * implements a {@link RetentionSource} in its store and declares it in its contract; governance reads
 * through it, decides by its versioned retention table and legal holds, and asks the module to delete.
 * Another module's tables are never touched directly.
 */

/** One stored record as retention sees it. */
export interface RetainedRecord {
  readonly recordId: string;
  readonly dataClass: string;
  /** The organisation whose record it is (the submitter, the operator, the developer). */
  readonly ownerOrgId: string | null;
  readonly createdAt: string;
  /** When each named event happened to the record (ISO instants): `created`, `superseded`, `review_closed`, … */
  readonly anchors: Readonly<Record<string, string>>;
  /** Durations an agreement governing the record sets (they can only bring expiry forward). */
  readonly limits?: readonly { readonly after: string; readonly days: number; readonly source: string }[];
  /** What a legal hold may name to keep it: the record and records it belongs to, its cases, its organisations. */
  readonly holdKeys: { readonly records: readonly string[]; readonly cases: readonly string[]; readonly orgs: readonly string[] };
  /** The vulnerability clusters it belongs to, so that their events (a verdict, a published case) reach it. */
  readonly clusterIds: readonly string[];
  /** How many records belonging to it are still stored; it is purged only after them (a cluster after its findings). */
  readonly dependents?: number;
  /** The blobs it refers to (SHA-256). */
  readonly blobs: readonly string[];
}

export interface RetainedRecordsQuery {
  readonly dataClass: string;
  /** Records after this id (keyset pagination in id order); null for the first page. */
  readonly afterId: string | null;
  readonly limit: number;
  /** Only the records this organisation owns. */
  readonly orgId?: string;
}

/** What a module's purge may need beside the transaction: the dialect (to take its own locks) and the time. */
export interface PurgeContext {
  readonly caps: DialectCapabilities;
  readonly now: string;
}

export interface RetentionSource {
  /** The module whose records these are. */
  readonly module: string;
  readonly dataClasses: readonly string[];
  /** A page of its records of one class, in id order. */
  records(db: Executor, query: RetainedRecordsQuery): Promise<RetainedRecord[]>;
  /** The records as JSON, for an organisation's export of everything held about it. */
  content(db: Executor, dataClass: string, recordIds: readonly string[]): Promise<Record<string, unknown>[]>;
  /**
   * Deletes the records and everything that is part of them, inside the caller's transaction, and answers
   * the ids it deleted: ids gone already, or no longer deletable (a cluster that gained a finding), are
   * skipped. Blobs are not touched: the caller deletes those no record refers to any longer.
   */
  purge(trx: Executor, dataClass: string, recordIds: readonly string[], context: PurgeContext): Promise<readonly string[]>;
  /**
   * When events that happen to whole clusters happened to these (`invalidated`, `cluster_closed`,
   * `case_published`, `case_closed`), for the modules that know: they reach every record of the cluster.
   */
  clusterEvents?(db: Executor, clusterIds: readonly string[]): Promise<Map<string, Readonly<Record<string, string>>>>;
}

/** Where a module refers to blobs, so that a blob is deleted only when no record of any module refers to it. */
export interface BlobReferences {
  readonly module: string;
  /** Of these hashes, the ones some stored record of the module still refers to. */
  referenced(db: Executor, sha256s: readonly string[]): Promise<Set<string>>;
}

/** {@link BlobReferences} for blobs named in plain columns: `{ table, column }` pairs, each holding one SHA-256. */
export function blobColumns(module: string, columns: readonly { readonly table: string; readonly column: string }[]): BlobReferences {
  return {
    module,
    async referenced(db, sha256s) {
      const found = new Set<string>();
      if (sha256s.length === 0) return found;
      for (const { table, column } of columns) {
        const rows = (await db
          .selectFrom(table)
          .select(`${column} as sha256`)
          .where(column, 'in', [...sha256s])
          .execute()) as { sha256: string }[];
        for (const row of rows) found.add(row.sha256);
      }
      return found;
    },
  };
}

/**
 * A record as most modules report it: created at `createdAt`, owned by `ownerOrgId`, held by a hold on
 * itself, on the records in `belongsTo`, or on its owner; `more` adds or overrides the rest.
 */
export function retainedRecord(
  dataClass: string,
  row: { readonly id: string; readonly ownerOrgId: string | null; readonly createdAt: string; readonly belongsTo?: readonly string[] },
  more: Partial<Omit<RetainedRecord, 'recordId' | 'dataClass' | 'ownerOrgId' | 'createdAt'>> = {},
): RetainedRecord {
  return {
    recordId: row.id,
    dataClass,
    ownerOrgId: row.ownerOrgId,
    createdAt: row.createdAt,
    anchors: { created: row.createdAt },
    holdKeys: { records: [row.id, ...(row.belongsTo ?? [])], cases: [], orgs: row.ownerOrgId === null ? [] : [row.ownerOrgId] },
    clusterIds: [],
    blobs: [],
    ...more,
  };
}

/** A query narrowed to one page of {@link RetainedRecordsQuery}: after `afterId`, of `orgId`, in id order. */
export function retainedPage<O>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any module's schema: the columns are the caller's
  query: SelectQueryBuilder<any, any, O>,
  columns: { readonly id: string; readonly org: string },
  page: Pick<RetainedRecordsQuery, 'afterId' | 'limit' | 'orgId'>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
): SelectQueryBuilder<any, any, O> {
  let q = query;
  if (page.afterId !== null) q = q.where(columns.id, '>', page.afterId);
  if (page.orgId !== undefined) q = q.where(columns.org, '=', page.orgId);
  return q.orderBy(columns.id).limit(page.limit);
}

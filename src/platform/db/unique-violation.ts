/**
 * A write refused because a row with the same unique key exists (or was just committed by a concurrent
 * transaction): the table and the key's columns, as far as the driver says. Never the values, which may
 * belong to someone the caller may not see.
 */
export interface UniqueViolation {
  readonly table: string | null;
  readonly columns: readonly string[];
  /** The constraint or index name, when the driver gives it. */
  readonly constraint: string | null;
}

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly table?: unknown;
  readonly constraint?: unknown;
  readonly detail?: unknown;
}

const asDriverError = (error: unknown): DriverError | null => (error !== null && typeof error === 'object' ? (error as DriverError) : null);

/** PostgreSQL: SQLSTATE 23505, with the table, the constraint and `Key (a, b)=(…) already exists.` */
export function postgresUniqueViolation(error: unknown): UniqueViolation | undefined {
  const e = asDriverError(error);
  if (e?.code !== '23505') return undefined;
  const key = typeof e.detail === 'string' ? /^Key \((.+?)\)=/.exec(e.detail)?.[1] : undefined;
  return {
    table: typeof e.table === 'string' ? e.table : null,
    columns: key === undefined ? [] : key.split(',').map((c) => c.trim()),
    constraint: typeof e.constraint === 'string' ? e.constraint : null,
  };
}

const SQLITE_UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** SQLite: `UNIQUE constraint failed: t.a, t.b` (or `… failed: index 'name'` for an expression index). */
export function sqliteUniqueViolation(error: unknown): UniqueViolation | undefined {
  const e = asDriverError(error);
  if (typeof e?.code !== 'string' || !SQLITE_UNIQUE_CODES.has(e.code)) return undefined;
  const detail = typeof e.message === 'string' ? (/UNIQUE constraint failed: (.+)$/.exec(e.message)?.[1] ?? '') : '';
  const index = /^index '(.+)'$/.exec(detail)?.[1];
  if (index !== undefined) return { table: null, columns: [], constraint: index };
  const qualified = detail === '' ? [] : detail.split(',').map((c) => c.trim());
  return {
    table: qualified[0]?.includes('.') ? (qualified[0].split('.')[0] ?? null) : null,
    columns: qualified.map((c) => c.slice(c.indexOf('.') + 1)),
    constraint: null,
  };
}

/** `intake_submission (owner_org_id, sha256)`: the key as a message names it. */
export function describeUniqueKey(violation: UniqueViolation): string {
  const columns = violation.columns.length > 0 ? `(${violation.columns.join(', ')})` : (violation.constraint ?? 'a unique key');
  return violation.table === null ? columns : `${violation.table} ${columns}`;
}

/**
 * True when the database refused a statement because a bound value does not fit its column's type (PostgreSQL
 * SQLSTATE class 22, "data exception": `invalid input syntax for type bigint`, a malformed timestamp, …). SQLite
 * compares values of any type and never raises this, so its errors never match.
 */
export function isInvalidValue(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

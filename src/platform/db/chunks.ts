/**
 * Splits a list into runs of at most `size`: for `IN (…)` lists and multi-row statements, which both
 * databases bound (SQLite at 32,766 parameters, PostgreSQL at 65,535).
 */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a chunk holds at least one item, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

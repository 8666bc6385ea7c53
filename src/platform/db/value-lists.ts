import { sql, type RawBuilder } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import { chunks } from './chunks.js';

/** Values per `IN` list of bound parameters: well under every database's bound-parameter limit. */
const PARAMETER_LIST = 500;

/** Values per array parameter: no parameter limit, only the size of one message. */
const ARRAY_LIST = 10_000;

/**
 * The right-hand side of `column in …` for a list of text values, as the database plans it best. Where lists
 * go as arrays (PostgreSQL), `in (select unnest($1::text[]))`: one parameter, planned as a semi-join that
 * probes the column's index once per value. A list of bound parameters `in ($1, …, $500)` is planned from
 * statistics instead, and at 70,000 identity keys it was a sequential scan testing every row against the
 * list (54 ms for 500 keys, against 3–7 ms probed; issue 14); `= any($1)` is planned the same way and sorts
 * the array first. Elsewhere (SQLite, which probes the index for an IN list itself) the values as they are.
 */
export function oneOf(caps: DialectCapabilities, values: readonly string[]): readonly string[] | RawBuilder<string> {
  return caps.listsAsArrays ? sql<string>`(select unnest(${sql.val([...values])}::text[]))` : values;
}

/**
 * Bytes, given as their hex digits, as a query parameter: bound as bytes where the driver does ({@link
 * DialectCapabilities.bytesAsHexText} false), else as bytea's hex input text (`\x…`).
 */
export function bytesParam(caps: DialectCapabilities, hex: string): Uint8Array | string {
  return caps.bytesAsHexText ? `\\x${hex}` : Buffer.from(hex, 'hex');
}

/** {@link oneOf} for bytes given as their hex digits: decoded by PostgreSQL from one text array. */
export function oneOfBytes(caps: DialectCapabilities, hexes: readonly string[]): readonly Uint8Array[] | RawBuilder<Uint8Array> {
  if (caps.bytesAsHexText) return sql<Uint8Array>`(select decode(unnest(${sql.val([...hexes])}::text[]), 'hex'))`;
  return hexes.map((hex) => Buffer.from(hex, 'hex'));
}

/** A bytes column selected as hex digits where bytes travel as text (`encode(c, 'hex')`); read it with {@link hexOf}. */
export function bytesColumn(caps: DialectCapabilities, column: string): RawBuilder<Uint8Array | string> {
  return caps.bytesAsHexText ? sql`encode(${sql.ref(column)}, 'hex')` : sql`${sql.ref(column)}`;
}

/** The hex digits of bytes as read: a Buffer, or the hex text {@link bytesColumn} selected. */
export function hexOf(value: Uint8Array | string): string {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/** `values` in runs that one {@link oneOf} list takes on this database: 500 bound parameters, or 10,000 in one array. */
export function oneOfChunks<T>(caps: DialectCapabilities, values: readonly T[]): T[][] {
  return chunks(values, caps.listsAsArrays ? ARRAY_LIST : PARAMETER_LIST);
}

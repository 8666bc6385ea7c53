import { CompiledQuery } from 'kysely';
import type { DialectCapabilities } from './capabilities.js';
import type { Executor } from './database.js';

/** Under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement. */
const MAX_PARAMETERS = 30_000;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** What {@link insertMany} does when a row's key is taken already. */
export interface InsertManyOptions {
  readonly onConflictDoNothing?: readonly string[];
  /** `on conflict (key) do update set c = excluded.c` for each of `set`: an upsert. */
  readonly onConflictUpdate?: { readonly key: readonly string[]; readonly set: readonly string[] };
}

/**
 * Inserts many rows with multi-row INSERT statements built directly, bypassing the query builder: for bulk
 * paths (intake batches of thousands of findings) where building and compiling a Kysely query per chunk
 * costs more than SQLite's own work. Table and column names must be plain lower-case identifiers (they are
 * ours, never user input); values are always bound parameters.
 */
export async function insertMany(...args: Parameters<typeof insertManyStatements>): Promise<void> {
  for (const statement of await insertManyStatements(...args)) await args[0].executeQuery(statement);
}

/**
 * The statements {@link insertMany} runs, built but not run: for `writeTogether`, which sends them with other
 * writes in one round trip on PostgreSQL. Asks the database for the table's column types the first time (on
 * PostgreSQL, once per table and process). None for no rows.
 */
export async function insertManyStatements(
  executor: Executor,
  caps: DialectCapabilities,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: InsertManyOptions = {},
): Promise<CompiledQuery[]> {
  const update = options.onConflictUpdate;
  for (const name of [table, ...columns, ...(options.onConflictDoNothing ?? []), ...(update?.key ?? []), ...(update?.set ?? [])]) {
    if (!IDENTIFIER.test(name)) throw new Error(`insertMany: "${name}" is not a plain identifier`);
  }
  if (rows.length === 0) return [];
  if (caps.insertsFromArrays) {
    const types = await columnTypes(executor, table, columns);
    if (types !== null) return insertFromArrays(caps, table, columns, types, rows, conflict(options));
  }
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = `insert into ${table} (${columns.join(', ')}) values `;
  const tail = conflict(options);
  const out: CompiledQuery[] = [];
  for (const [start, size] of chunkSizes(rows.length, perStatement, caps.reusesPreparedStatements)) {
    const parameters: unknown[] = [];
    for (let r = start; r < start + size; r++) {
      const row = rows[r]!;
      if (row.length !== columns.length)
        throw new Error(`insertMany: a row of ${table} has ${row.length} values for ${columns.length} columns`);
      for (const value of row) parameters.push(value);
    }
    out.push(CompiledQuery.raw(head + valuesList(caps, columns.length, size) + tail, parameters));
  }
  return out;
}

/**
 * `(?, ?), (?, ?)`: the placeholders of `rows` rows of `width` values, made once per shape (intake inserts
 * thousands of rows per submission in a handful of shapes; the list of a 512-row chunk is 20,000 marks).
 */
function valuesList(caps: DialectCapabilities, width: number, rows: number): string {
  const key = `${caps.placeholder(2)} ${width} ${rows}`;
  let text = valuesLists.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const marks: string[] = [];
      for (let c = 1; c <= width; c++) marks.push(caps.placeholder(r * width + c));
      tuples.push(`(${marks.join(', ')})`);
    }
    text = tuples.join(', ');
    if (valuesLists.size >= 256) valuesLists.clear();
    valuesLists.set(key, text);
  }
  return text;
}

const valuesLists = new Map<string, string>();

function conflict(options: InsertManyOptions): string {
  const update = options.onConflictUpdate;
  if (update !== undefined)
    return ` on conflict (${update.key.join(', ')}) do update set ${update.set.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  return options.onConflictDoNothing === undefined ? '' : ` on conflict (${options.onConflictDoNothing.join(', ')}) do nothing`;
}

/** Rows per statement of an insert from lines, JSON or arrays: no parameter limit, only the size of one message. */
const ARRAY_ROWS = 10_000;

/** A column's lines: one value per line, this line for null (text made of it alone goes as JSON instead). */
const NULL_LINE = '\u0001';

/**
 * Inserts rows sent one parameter per column. Most often each column's values as lines of one text, split
 * by `string_to_array` and cast to the column's type as they are read: PostgreSQL splits a text at a byte
 * and parses each value once, where the rows as one JSON array had it parse every value as JSON and then
 * again as its type — a JSON column's text twice, unescaping every quote of it the first time (the finding
 * insert of intake: 48 µs of server CPU per row as JSON, 37 µs as lines, and in this process half the time
 * to build, JSON.stringify escaping each value; issue 14). Values that lines cannot carry as they are (a
 * line break, text that is the null line, a single row, whose one empty value would split into no line)
 * go as one JSON array of arrays (`r->>i`); a chunk holding a value JSON cannot carry either (bytes, a date,
 * an object) goes as one array per column.
 */
function insertFromArrays(
  caps: DialectCapabilities,
  table: string,
  columns: readonly string[],
  types: readonly string[],
  rows: readonly (readonly unknown[])[],
  onConflict: string,
): CompiledQuery[] {
  const arrays = columns.map((_, i) => `${caps.placeholder(i + 1)}::${types[i]}[]`).join(', ');
  const fromArrays = `insert into ${table} (${columns.join(', ')}) select * from unnest(${arrays})${onConflict}`;
  const fields = columns.map((_, i) => `(r->>${i})::${types[i]}`).join(', ');
  const fromJson = `insert into ${table} (${columns.join(', ')}) select ${fields} from jsonb_array_elements(${caps.placeholder(1)}::jsonb) r${onConflict}`;
  const split = columns.map((_, i) => `string_to_array(${caps.placeholder(i + 1)}, E'\\n', E'\\x01')`).join(', ');
  const names = columns.map((_, i) => `v${i}`);
  const fromLines = `insert into ${table} (${columns.join(', ')}) select ${names.map((v, i) => `${v}::${types[i]}`).join(', ')} from unnest(${split}) as u(${names.join(', ')})${onConflict}`;
  const out: CompiledQuery[] = [];
  for (let start = 0; start < rows.length; start += ARRAY_ROWS) {
    const chunk = rows.slice(start, start + ARRAY_ROWS);
    let plain = true;
    for (const row of chunk) {
      if (row.length !== columns.length)
        throw new Error(`insertMany: a row of ${table} has ${row.length} values for ${columns.length} columns`);
      if (plain) for (const value of row) if (!isJsonScalar(value)) plain = false;
    }
    const lines = plain && chunk.length > 1 ? asLines(chunk, columns.length) : null;
    if (lines !== null) out.push(CompiledQuery.raw(fromLines, lines));
    else if (plain) out.push(CompiledQuery.raw(fromJson, [JSON.stringify(chunk)]));
    else
      out.push(
        CompiledQuery.raw(
          fromArrays,
          columns.map((_, i) => chunk.map((row) => row[i])),
        ),
      );
  }
  return out;
}

/** Each column's values as lines of one text (null as {@link NULL_LINE}), or null when a value cannot be one line. */
function asLines(rows: readonly (readonly unknown[])[], width: number): string[] | null {
  const out: string[] = new Array(width);
  const column: unknown[] = new Array(rows.length);
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < rows.length; r++) {
      const value = rows[r]![c];
      if (value === null) column[r] = NULL_LINE;
      else if (typeof value === 'string') {
        if (value.includes('\n') || value === NULL_LINE) return null;
        column[r] = value;
      } else column[r] = value;
    }
    out[c] = column.join('\n');
  }
  return out;
}

const isJsonScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Each table's column types as its database declares them, asked once per database and process (a table's
 * columns keep their types; a column added later is asked for when first inserted into). Kept per database:
 * a process holding two (tests, tools copying one into another) may find the same table with other types in
 * each — an older schema's `jsonb` column cast into a newer one's `json` is stored re-ordered. A database is
 * known by its Kysely instance's dialect adapter, which each of its transactions shares.
 */
const knownTypes = new WeakMap<object, Map<string, Map<string, string>>>();

/**
 * Forgets the column types asked of this database: a migration that changes a column's type in a database
 * this process has inserted into calls it (the migration runner does, once it has run any).
 */
export function forgetColumnTypes(executor: Executor): void {
  knownTypes.delete(executor.getExecutor().adapter);
}

function typesOfDatabase(executor: Executor): Map<string, Map<string, string>> {
  const database = executor.getExecutor().adapter;
  let tables = knownTypes.get(database);
  if (tables === undefined) knownTypes.set(database, (tables = new Map()));
  return tables;
}

/**
 * The declared types of `columns` (`integer`, `jsonb`, `timestamp with time zone`, …), or null when one of
 * them is itself an array (unnest would flatten it) or unknown: the insert then falls back to VALUES lists.
 */
async function columnTypes(executor: Executor, table: string, columns: readonly string[]): Promise<string[] | null> {
  const tables = typesOfDatabase(executor);
  let types = tables.get(table);
  if (types === undefined || columns.some((c) => !types!.has(c))) {
    const result = await executor.executeQuery<{ name: string; type: string }>(
      CompiledQuery.raw(
        `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
         where attrelid = to_regclass($1) and attnum > 0 and not attisdropped`,
        [table],
      ),
    );
    types = new Map(result.rows.map((r) => [r.name, r.type]));
    tables.set(table, types);
  }
  const out: string[] = [];
  for (const column of columns) {
    const type = types.get(column);
    if (type === undefined || type.endsWith(']')) return null;
    out.push(type);
  }
  return out;
}

/**
 * Where each statement's rows start and how many it takes. Where prepared statements are reused, a power of
 * two at most `max` and then the remainder's binary digits: a handful of statement shapes per table, each
 * prepared once (a new shape per row count cost intake 4 % of its time preparing, issue 14); else as few
 * statements as the parameter limit allows.
 */
export function chunkSizes(rows: number, max: number, reuse: boolean): [start: number, size: number][] {
  const out: [number, number][] = [];
  let size = max;
  if (reuse) for (size = 1; size * 2 <= max; size *= 2);
  let start = 0;
  while (start < rows) {
    while (start + size > rows && reuse) size /= 2;
    const take = Math.min(size, rows - start);
    out.push([start, take]);
    start += take;
  }
  return out;
}

import { IssueList } from '../../../platform/input/issues.js';

/**
 * SSVC decision points and decision tables, shaped after SSVC's own JSON (schema v2: a decision point has a
 * namespace, key, version and values with keys and names; a table maps every combination of its inputs to
 * one outcome). Our values are lower-case identifiers (`poc`, `very_high`); each carries SSVC's key and
 * name, so an encoding can be checked against SSVC's files and shown with SSVC's words.
 */

export interface DecisionValue<V extends string = string> {
  /** Our identifier, as the API, CLI and stored decisions spell it. */
  readonly value: V;
  /** SSVC's key for the value (`P` for Public PoC). */
  readonly key: string;
  /** SSVC's display name (`Public PoC`). */
  readonly name: string;
}

export interface DecisionPoint<V extends string = string> {
  /** `namespace:key:version`, as SSVC's tables name their columns (`ssvc:E:1.1.0`). */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** In SSVC's order, which is also the order of rising urgency. */
  readonly values: readonly DecisionValue<V>[];
}

/** Defines a decision point from `[value, ssvcKey, ssvcName]` triples. */
export function decisionPoint<const V extends string>(
  namespace: string,
  key: string,
  version: string,
  name: string,
  values: readonly (readonly [V, string, string])[],
): DecisionPoint<V> {
  return Object.freeze({
    id: `${namespace}:${key}:${version}`,
    name,
    version,
    values: Object.freeze(values.map(([value, k, n]) => Object.freeze({ value, key: k, name: n }))),
  });
}

/**
 * The value of `point` that `text` names: our identifier, SSVC's name (both without regard to case) or
 * SSVC's key. Undefined when none matches.
 */
export function decisionValueOf<V extends string>(point: DecisionPoint<V>, text: string): V | undefined {
  const wanted = text.trim().toLowerCase();
  return point.values.find((v) => v.value === wanted || v.name.toLowerCase() === wanted || v.key === text.trim())?.value;
}

/** The inputs of a table: field name → value identifier. */
export type DecisionInputs<I> = { readonly [K in keyof I]: string };

export interface DecisionTableRef {
  /** `namespace:key:version` of the table (`cisa:DT_CO:2.0.3`). */
  readonly id: string;
  readonly name: string;
  readonly version: string;
}

export interface DecisionRow<I, O extends string> {
  /** The row number in SSVC's CSV and JSON `mapping` (0-based), which this encoding keeps. */
  readonly index: number;
  readonly inputs: Readonly<I>;
  readonly outcome: O;
}

export interface DecisionTable<I extends DecisionInputs<I>, O extends string> extends DecisionTableRef {
  /** Where the encoding comes from (repository, path, commit). */
  readonly source: string;
  readonly columns: readonly { readonly field: keyof I & string; readonly point: DecisionPoint }[];
  readonly outcome: DecisionPoint<O>;
  readonly rows: readonly DecisionRow<I, O>[];
}

/** An evaluation: the outcome and the row that gave it, for the explanation. */
export interface DecisionResult<I, O extends string> {
  readonly outcome: O;
  readonly row: DecisionRow<I, O>;
  readonly table: DecisionTableRef;
}

const LOOKUPS = new WeakMap<object, ReadonlyMap<string, DecisionRow<unknown, string>>>();
const keyOf = (values: readonly string[]) => values.join('\u0000');

/**
 * Builds a table from rows written as `[input values in column order…, outcome]`, in SSVC's row order.
 * Checks, when the module loads, that every value belongs to its decision point and that the rows cover
 * every combination of inputs exactly once: a typo in an encoded table fails at start, not on the one
 * evaluation that would hit it.
 *
 * @throws Error when the rows break either rule (a defect in the encoding, not an input error).
 */
export function defineDecisionTable<I extends DecisionInputs<I>, O extends string>(spec: {
  readonly namespace: string;
  readonly key: string;
  readonly version: string;
  readonly name: string;
  readonly source: string;
  readonly points: { readonly [K in keyof I]: DecisionPoint<I[K]> };
  readonly outcome: DecisionPoint<O>;
  readonly rows: readonly (readonly string[])[];
}): DecisionTable<I, O> {
  const id = `${spec.namespace}:${spec.key}:${spec.version}`;
  const columns = (Object.keys(spec.points) as (keyof I & string)[]).map((field) => ({
    field,
    point: spec.points[field] as DecisionPoint,
  }));
  const lookup = new Map<string, DecisionRow<I, O>>();
  const rows = spec.rows.map((cells, index) => {
    const fail = (why: string) => new Error(`decision table ${id}, row ${index}: ${why}`);
    if (cells.length !== columns.length + 1) throw fail(`has ${cells.length} cells, wants ${columns.length + 1}`);
    const inputs: Record<string, string> = {};
    columns.forEach(({ field, point }, i) => {
      const cell = cells[i] ?? '';
      if (!point.values.some((v) => v.value === cell)) throw fail(`'${cell}' is not a value of ${point.id}`);
      inputs[field] = cell;
    });
    const outcome = cells[columns.length] ?? '';
    if (!spec.outcome.values.some((v) => v.value === outcome)) throw fail(`'${outcome}' is not a value of ${spec.outcome.id}`);
    const key = keyOf(cells.slice(0, columns.length));
    if (lookup.has(key)) throw fail('repeats the inputs of an earlier row');
    const row = Object.freeze({ index, inputs: Object.freeze(inputs) as unknown as Readonly<I>, outcome: outcome as O });
    lookup.set(key, row);
    return row;
  });
  const combinations = columns.reduce((n, c) => n * c.point.values.length, 1);
  if (rows.length !== combinations) throw new Error(`decision table ${id} has ${rows.length} rows for ${combinations} combinations`);
  const table = Object.freeze({ id, name: spec.name, version: spec.version, source: spec.source, columns, outcome: spec.outcome, rows });
  LOOKUPS.set(table, lookup as ReadonlyMap<string, DecisionRow<unknown, string>>);
  return table;
}

/**
 * Looks the inputs up in the table.
 *
 * @param pointer JSON pointer of the object holding the inputs, for the issues; default `''`.
 * @throws InputError naming each field whose value is not one of its decision point's values.
 */
export function evaluateDecisionTable<I extends DecisionInputs<I>, O extends string>(
  table: DecisionTable<I, O>,
  inputs: I,
  pointer = '',
): DecisionResult<I, O> {
  const issues = new IssueList();
  const values = table.columns.map(({ field, point }) => {
    const value: unknown = inputs[field];
    if (typeof value !== 'string' || !point.values.some((v) => v.value === value)) {
      issues.add(`${pointer}/${field}`, `must be one of ${point.values.map((v) => v.value).join(', ')} (${point.name})`);
    }
    return String(value);
  });
  issues.throwIfAny(`invalid inputs to ${table.name}`);
  const row = LOOKUPS.get(table)?.get(keyOf(values)) as DecisionRow<I, O> | undefined;
  // Unreachable for a table built by defineDecisionTable, which checks that every combination has a row.
  if (row === undefined) throw new Error(`decision table ${table.id} has no row for ${values.join(', ')}`);
  return { outcome: row.outcome, row, table: { id: table.id, name: table.name, version: table.version } };
}

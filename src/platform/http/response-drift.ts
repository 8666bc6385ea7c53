import type { FastifyRequest } from 'fastify';

/** A JSON Schema as TypeBox writes it, read loosely: only what decides which fields an answer has. */
interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly then?: Schema;
  readonly const?: unknown;
}

/** Where an answer and its response schema disagree on a field; see {@link responseDrift}. */
export interface ResponseDrift {
  /** `GET /api/v1/orgs/:id`: the route as registered. */
  readonly route: string;
  readonly status: number;
  /** `/items/0/extra: returned but not in the response schema (the serializer drops it)`, … */
  readonly problems: readonly string[];
}

/**
 * The fields where `value` (what a handler returned, before serialization) and the response `schema`
 * disagree: a field the schema does not declare, which the serializer would silently drop, and a field the
 * schema requires that the value lacks. Types of leaves are the serializer's business; only the shape is
 * compared. `refs` resolves `$ref`s (the server's shared schemas).
 */
export function responseDrift(schema: unknown, value: unknown, refs: (id: string) => unknown = () => undefined): string[] {
  const problems: string[] = [];
  walk(schema as Schema, toJson(value), '', problems, refs);
  return problems;
}

function toJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function walk(schema: Schema | undefined, value: unknown, at: string, problems: string[], refs: (id: string) => unknown): void {
  if (schema === undefined || value === undefined || value === null) return;
  if (schema.$ref !== undefined) return walk(refs(schema.$ref) as Schema | undefined, value, at, problems, refs);
  if (schema.then !== undefined) return walk(schema.then, value, at, problems, refs);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) {
    // The branch the value fits best: a union's members are told apart by their fields.
    let best: string[] | undefined;
    const fitting = branches.filter((branch) => fits(resolved(branch, refs), value));
    for (const branch of fitting.length > 0 ? fitting : branches) {
      const found: string[] = [];
      walk(branch, value, at, found, refs);
      if (best === undefined || found.length < best.length) best = found;
      if (found.length === 0) break;
    }
    problems.push(...(best ?? []));
    return;
  }
  if (schema.allOf !== undefined) {
    const merged: Schema = {
      type: 'object',
      properties: Object.assign({}, ...schema.allOf.map((s) => s.properties ?? {})) as Record<string, Schema>,
      required: schema.allOf.flatMap((s) => s.required ?? []),
    };
    return walk(merged, value, at, problems, refs);
  }
  if (Array.isArray(value)) {
    if (schema.items !== undefined) value.forEach((item, i) => walk(schema.items, item, `${at}/${i}`, problems, refs));
    return;
  }
  if (typeof value !== 'object' || schema.properties === undefined) return;
  const record = value as Record<string, unknown>;
  const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  for (const [key, field] of Object.entries(record)) {
    const declared = schema.properties[key];
    if (declared !== undefined) walk(declared, field, `${at}/${key}`, problems, refs);
    else if (!open && !matchesPattern(schema, key))
      problems.push(`${at}/${key}: returned but not in the response schema (the serializer drops it)`);
  }
  for (const key of schema.required ?? []) {
    if (!(key in record)) problems.push(`${at}/${key}: required by the response schema but not returned`);
  }
}

function resolved(schema: Schema, refs: (id: string) => unknown): Schema {
  return schema.$ref === undefined ? schema : ((refs(schema.$ref) as Schema | undefined) ?? {});
}

/** Whether a union's member can be the one `value` is: its JSON type, and the constants it names (`kind`). */
function fits(schema: Schema, value: unknown): boolean {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;
  const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type);
  if (types !== undefined && !types.some((t) => t === kind || (t === 'integer' && kind === 'number'))) return false;
  if (kind !== 'object' || schema.properties === undefined) return true;
  const record = value as Record<string, unknown>;
  return Object.entries(schema.properties).every(([key, field]) => field.const === undefined || record[key] === field.const);
}

function matchesPattern(schema: Schema, key: string): boolean {
  return Object.keys(schema.patternProperties ?? {}).some((pattern) => new RegExp(pattern, 'u').test(key));
}

/**
 * A `preSerialization` hook comparing every JSON answer with its route's response schema for its status
 * (tests turn it on: `createHttpServer({ onResponseDrift })`): successes, and problem+json answers too,
 * which pass here on their way from the error handler — a problem member their schema does not declare
 * (a conflict's extension member, see `problemWith`) would be dropped like any other field. `report` gets
 * each disagreement, and also each answer checked (with no problems), so a test can tell which routes it saw.
 */
export function responseDriftHook(report: (drift: ResponseDrift) => void, refs: (id: string) => unknown) {
  return async (request: FastifyRequest, reply: { statusCode: number }, payload: unknown): Promise<unknown> => {
    if (payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload)) return payload;
    const responses = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)?.response;
    const status = reply.statusCode;
    const schema = responses?.[status] ?? responses?.[`${String(status)[0]}xx`];
    if (schema === undefined) return payload;
    report({
      route: `${request.method} ${request.routeOptions.url ?? request.url}`,
      status,
      problems: responseDrift(schema, payload, refs),
    });
    return payload;
  };
}

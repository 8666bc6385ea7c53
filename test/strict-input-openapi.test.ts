import * as ajvFormats from 'ajv-formats';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect, it } from 'vitest';
import type { Runtime } from '../src/app/runtime.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

// ajv-formats is CommonJS whose default export is `module.exports` (see scoring/domain/json-schema.ts).
const addFormats = ajvFormats.default.default;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  [key: string]: unknown;
};

interface Operation {
  readonly method: string;
  /** The path with every parameter filled: its schema's first value, else an id that names nothing. */
  readonly url: string;
  readonly path: string;
  readonly schema: Schema;
}

interface Parameter {
  readonly in: string;
  readonly name: string;
  readonly schema?: Schema;
}

const JSON_TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'] as const;
const SAMPLE: Record<(typeof JSON_TYPES)[number], unknown> = {
  null: null,
  boolean: true,
  integer: 7,
  number: 7.5,
  string: 'x',
  array: [],
  object: {},
};

function typesOf(schema: Schema): string[] | null {
  if (schema.type === undefined) return null;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes('number') ? [...types, 'integer'] : types;
}

/** Values of JSON types the schema does not allow: `null` first (the case), then one of each other type. */
function wrongValues(schema: Schema): unknown[] {
  const allowed = typesOf(schema);
  if (allowed === null) return [];
  return JSON_TYPES.filter((t) => !allowed.includes(t) && !(t === 'number' && allowed.includes('integer')))
    .slice(0, 2)
    .map((t) => SAMPLE[t]);
}

/** A plausible valid value, for the required members around the one made wrong (checked by Ajv below). */
function plausible(schema: Schema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant !== undefined) return plausible(variant);
  const type = typesOf(schema)?.[0];
  switch (type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => plausible(schema.items ?? {}));
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, plausible(schema.properties?.[k] ?? {})]));
    default:
      return null;
  }
}

function jsonBodyOperations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const content = (op as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody?.content;
      const schema = content?.['application/json']?.schema;
      if (schema === undefined) continue;
      const params = ((op as { parameters?: Parameter[] }).parameters ?? []).filter((p) => p.in === 'path');
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const declared = params.find((p) => p.name === name)?.schema;
        return String(declared?.enum?.[0] ?? declared?.const ?? 'none_00000000000000000000000000');
      });
      ops.push({ method: method.toUpperCase(), url, path, schema });
    }
  }
  return ops;
}

/**
 * Issue 10, strict input, generated from `/api/openapi.json`: for every operation that takes a JSON body,
 * bodies of the wrong JSON type — the whole body, and each declared member in turn (`null` where a boolean
 * is required, a string for a number, a number for a string…) — answer 400 problem+json with pointers into
 * the body, never 5xx, and change nothing (no audit event: every mutation writes one). Where the rest of the
 * body is valid by the schema itself (checked here with Ajv, not by the server), the pointer must name the
 * member made wrong. A new route joins on the day it lands.
 */
describeEachDatabase('type-wrong JSON bodies on every operation of the OpenAPI document', (dialect) => {
  const get = useTestServer(dialect);

  it('answer 400 naming the pointer, never 5xx, and change nothing', async () => {
    const { call, app, coordinatorAdmin, runtime } = get();
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const ops = jsonBodyOperations(doc);
    expect(ops.length).toBeGreaterThan(20);
    const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
    addFormats(ajv);
    const auditCount = () => auditEvents(runtime);
    const before = await auditCount();

    const failures: string[] = [];
    let requests = 0;
    let exactPointers = 0;
    for (const op of ops) {
      let validate: ValidateFunction | undefined;
      try {
        validate = ajv.compile(op.schema);
      } catch {
        validate = undefined;
      }
      const base = plausible(op.schema);
      const baseValid = validate !== undefined && typeof base === 'object' && base !== null && validate(base) === true;
      const cases: { label: string; body: unknown; pointer?: string }[] = wrongValues(op.schema).map((v) => ({
        label: `body ${JSON.stringify(v)}`,
        body: v,
      }));
      for (const [name, member] of Object.entries(op.schema.properties ?? {})) {
        for (const v of wrongValues(member)) {
          cases.push({
            label: `/${name} ${JSON.stringify(v)}`,
            body: { ...(base as object), [name]: v },
            pointer: baseValid ? `/body/${name}` : undefined,
          });
        }
      }
      for (const c of cases) {
        requests++;
        const response = await call(coordinatorAdmin, op.method as 'POST', op.url, c.body);
        const where = `${op.method} ${op.path} ${c.label}`;
        const pointers = response.problem?.errors?.map((e) => e.pointer) ?? [];
        if (response.status !== 400) failures.push(`${where}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        else if (!String(response.headers['content-type']).startsWith('application/problem+json'))
          failures.push(`${where}: not problem+json`);
        else if (pointers.length === 0 || !pointers.every((p) => p.startsWith('/body')))
          failures.push(`${where}: pointers ${JSON.stringify(pointers)}`);
        else if (c.pointer !== undefined && !pointers.includes(c.pointer))
          failures.push(`${where}: named ${JSON.stringify(pointers)}, not ${c.pointer}`);
        else if (c.pointer !== undefined) exactPointers++;
      }
    }
    expect(failures, `${failures.length} of ${requests} requests over ${ops.length} operations`).toEqual([]);
    expect(await auditCount()).toBe(before);
    expect(exactPointers).toBeGreaterThan(0);
    console.log(
      `strict input: ${ops.length} operations with JSON bodies, ${requests} type-wrong requests, ${exactPointers} with the exact pointer checked`,
    );
  });

  // Issue 20: PostgreSQL text cannot hold U+0000 (it answered 500); refused on both databases alike, before
  // the schema is checked, so the pointer names the string wherever it is (a declared member or not).
  it('a NUL character in any string of a JSON body answers 400 naming the member, and changes nothing', async () => {
    const { call, app, coordinatorAdmin, runtime } = get();
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const ops = jsonBodyOperations(doc);
    expect(ops.length).toBeGreaterThan(20);
    const audit = () => auditEvents(runtime);
    const before = await audit();
    const failures: string[] = [];
    let requests = 0;
    for (const op of ops) {
      const base = plausible(op.schema);
      const body = typeof base === 'object' && base !== null && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
      const cases: { body: unknown; pointer: string }[] = [{ body: { ...body, note: ['ok', 'cut\u0000here'] }, pointer: '/body/note/1' }];
      for (const [name, member] of Object.entries(op.schema.properties ?? {}))
        if (typesOf(member)?.includes('string')) cases.push({ body: { ...body, [name]: 'before\u0000after' }, pointer: `/body/${name}` });
      for (const c of cases) {
        requests++;
        const response = await call(coordinatorAdmin, op.method as 'POST', op.url, c.body);
        const pointers = response.problem?.errors?.map((e) => e.pointer) ?? [];
        if (
          response.status !== 400 ||
          !String(response.headers['content-type']).startsWith('application/problem+json') ||
          !pointers.includes(c.pointer)
        )
          failures.push(`${op.method} ${op.path} ${c.pointer}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures, `${failures.length} of ${requests} requests over ${ops.length} operations`).toEqual([]);
    expect(await audit()).toBe(before);
  });
});

/** How many audit events the runtime holds: a refused request must add none. */
async function auditEvents(runtime: Runtime): Promise<number> {
  const row = await runtime.db.kysely
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number((row as { n: unknown }).n);
}

import { Type, type ArrayOptions, type Static, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { MAX_PAGE_SIZE } from '../db/index.js';
import { TLP_LABELS } from '../tlp.js';

/**
 * `true` when each type is assignable to the other (readonly aside), else `false`: for a compile-time check that
 * a response schema's Static type says what the domain's type says, e.g.
 * `const agree: [SchemaAgrees<Static<typeof XSchema>, X>] = [true];` fails to compile when either drifts.
 */
export type SchemaAgrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A schema or null: the one place routes spell a nullable field. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * `Type.Array` whose static type is a readonly array: the same JSON Schema, so a presenter may hand over the
 * domain's readonly lists (`readonly T[]`) where the response schema lists them, without copying or a cast.
 */
export const ReadonlyList = <T extends TSchema>(item: T, options?: ArrayOptions): TUnsafe<readonly Static<T>[]> =>
  Type.Unsafe<readonly Static<T>[]>(Type.Array(item, options));

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), detail: Type.String() }))),
    logId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

/**
 * A route's answer with `status` as a problem document with the extension members (RFC 9457 §3.2) that
 * route's problem adds — a conflict's `embargoState`, the case a cluster is coordinated in — to spread after
 * its answers: `{ ...answers(Schema, [409]), ...problemWith(409, '…', { embargoState: … }) }`. The shared
 * Problem declares no extension, so the serializer drops a member no route declares (the drift check of test
 * servers names it). Each member is optional: the route's other problems of that status leave it out.
 */
export function problemWith(status: number, description: string, extensions: TProperties): Record<number, TSchema> {
  const optional = Object.fromEntries(Object.entries(extensions).map(([name, schema]) => [name, Type.Optional(schema)]));
  return {
    [status]: Type.Object({ ...ProblemSchema.properties, ...optional }, { description: `RFC 9457 problem details; ${description}` }),
  };
}

/** The error responses a route may give, for its schema; all are problem+json. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of [400, 401, 429, 500, ...statuses]) out[status] = Type.Ref(ProblemSchema);
  return out;
}

export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, description: 'items per page' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
});

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null on the last page' }),
  });
}

/** A string from a fixed list, as JSON Schema `enum`: one clear error naming the allowed values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const TlpSchema = StringEnum(TLP_LABELS, { description: 'TLP 2.0 label' });

export const IdParamSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** ISO 8601 instant, UTC. */
export const InstantSchema = Type.String({ format: 'date-time' });

/** What an import or upload says about the background work it queued (platform/jobs `QueuedWork`). */
export const QueuedWorkSchema = Type.Object(
  {
    id: Type.String({ description: 'follow it with GET /api/v1/jobs/status?work=' }),
    jobs: Nullable(Type.Integer({ description: 'jobs queued; null unless you may count every job (coordinator staff)' })),
  },
  { description: 'the background work this request queued (matching, prioritization, notifications)' },
);

import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { PageQuerySchema, pageOf, problemResponses, requireAuthentication } from '../../../platform/http/index.js';

/** Small pieces every frontier route shares: the tag, authentication, and its response statuses. */

export const auth = { onRequest: requireAuthentication };

export function describe<S extends Record<string, unknown>>(summary: string, parts: S & { response: Record<number, TSchema> }) {
  return { tags: ['frontier'], summary, ...parts };
}

/** A 200 answer with the usual problem answers, plus the given error statuses. */
export function ok(schema: TSchema, ...statuses: number[]): Record<number, TSchema> {
  return { 200: schema, ...problemResponses(404, ...statuses) };
}

/** A 201 answer (a created record) with the usual problem answers. */
export function created(schema: TSchema, ...statuses: number[]): Record<number, TSchema> {
  return { 201: schema, ...problemResponses(404, 403, ...statuses) };
}

export function page(schema: TSchema): Record<number, TSchema> {
  return { 200: pageOf(schema), ...problemResponses(404) };
}

export const items = (schema: TSchema) => Type.Object({ items: Type.Array(schema) });

export const PageQuery = PageQuerySchema;

/**
 * A body that may be left out (`POST …/end` with nothing to say): an object is checked against the
 * object's rules, an absent body against nothing. Written as `if`/`then` so that Ajv's strict mode has
 * nothing to warn about (a keyword like `properties` without `type: object` would).
 */
export function optionalBody<T extends TObject>(schema: T) {
  return Type.Unsafe<Static<T> | null | undefined>({ if: { type: 'object' }, then: schema });
}

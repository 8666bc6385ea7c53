import { Type, type TSchema } from '@sinclair/typebox';
import { pageOf, problemResponses, requireAuthentication } from '../../../platform/http/index.js';

/** What every validation route shares: authentication, the tag, and its answers. */
export const auth = { onRequest: requireAuthentication };

export function spec<S extends Record<string, unknown>>(summary: string, parts: S) {
  return { tags: ['validation'], summary, ...parts };
}

/** An answer with `status` and the problem answers every route may give, plus `errors`. */
export function answers(schema: TSchema, errors: number[] = [], status = 200): Record<number, TSchema> {
  return { [status]: schema, ...problemResponses(404, ...errors) };
}

export const pageAnswers = (schema: TSchema, errors: number[] = []) => answers(pageOf(schema), errors);

export const itemsOf = (schema: TSchema) => Type.Object({ items: Type.Array(schema) });

/** `a,b , c` → ['a', 'b', 'c']; absent → undefined. */
export const commaList = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

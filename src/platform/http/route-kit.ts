import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { requireAuthentication } from './context.js';
import { pageOf, problemResponses } from './schemas.js';

/** What every authenticated route of one module shares: its tag, its body limit and its error answers. */
export interface RouteKit {
  /** Route options: anonymous callers get 401; JSON bodies beyond the module's limit get 413. */
  readonly auth: { readonly onRequest: typeof requireAuthentication; readonly bodyLimit?: number };
  /** The OpenAPI description of a route: the module's tag, a summary, and its schemas. */
  spec<S extends Record<string, unknown>>(summary: string, parts: S): S & { tags: string[]; summary: string };
  /** The answer with `status` (200 by default), the problem answers every route may give, and `errors`. */
  answers(schema: TSchema, errors?: readonly number[], status?: number): Record<number, TSchema>;
  /** A 200 page of `item`s (`{items, nextCursor}`) with the problem answers and `errors`. */
  pageAnswers(item: TSchema, errors?: readonly number[]): Record<number, TSchema>;
}

export interface RouteKitOptions {
  /** The largest JSON body the module's routes accept, in bytes; Fastify's default (1 MiB) when absent. */
  readonly bodyLimit?: number;
  /** Problem statuses every route of the module may answer besides 400, 401, 404, 429 and 500. */
  readonly errors?: readonly number[];
}

/**
 * The one route kit: a module's routes file calls it once (`const { auth, spec, answers } = routeKit('cases',
 * { bodyLimit: 64 * 1024 })`) instead of spelling authentication, tags and problem answers itself.
 */
export function routeKit(tag: string, options: RouteKitOptions = {}): RouteKit {
  const common = options.errors ?? [];
  const answers = (schema: TSchema, errors: readonly number[] = [], status = 200): Record<number, TSchema> => ({
    [status]: schema,
    ...problemResponses(404, ...common, ...errors),
  });
  return {
    auth:
      options.bodyLimit === undefined
        ? { onRequest: requireAuthentication }
        : { onRequest: requireAuthentication, bodyLimit: options.bodyLimit },
    spec: (summary, parts) => ({ tags: [tag], summary, ...parts }),
    answers,
    pageAnswers: (item, errors = []) => answers(pageOf(item), errors),
  };
}

/** `{items: [...]}`: a complete, unpaged list. */
export const itemsOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/**
 * A body that may be left out (`POST …/end` with nothing to say): an object is checked against the
 * object's rules, an absent body against nothing. Written as `if`/`then` so that Ajv's strict mode has
 * nothing to warn about (a keyword like `properties` without `type: object` would).
 */
export function optionalBody<T extends TObject>(schema: T) {
  return Type.Unsafe<Static<T> | null | undefined>({ if: { type: 'object' }, then: schema });
}

/** A comma-separated query value: `a,b , c` → ['a', 'b', 'c']; absent → undefined. */
export function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

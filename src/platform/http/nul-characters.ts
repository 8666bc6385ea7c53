import type { FastifyRequest } from 'fastify';
import { InputError, type FieldIssue } from '../errors.js';

/** Deeper JSON is refused by the modules' own limits; the walk stops here so a hostile body costs little. */
const MAX_DEPTH = 256;

/**
 * The pointers of the strings holding a NUL character, in a JSON value as parsed (objects, arrays,
 * strings); `maxDepth` bounds how far into objects the walk goes. Anything else (a Buffer of a raw body) is
 * not looked into: its parser reads it.
 */
function* nulsIn(value: unknown, pointer: string, maxDepth: number, depth = 0): Generator<string> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) yield pointer;
    return;
  }
  if (depth > maxDepth || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* nulsIn(item, `${pointer}/${i}`, maxDepth, depth + 1);
    return;
  }
  // Plain objects only: parsed JSON, and Fastify's parameter objects, whose prototype is itself an object
  // without a prototype (a check for Object.prototype or null alone let every path NUL through).
  if (ArrayBuffer.isView(value)) return;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== null && prototype !== Object.prototype && Object.getPrototypeOf(prototype) !== null) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key.includes('\u0000')) yield at;
    else yield* nulsIn(child, at, maxDepth, depth + 1);
  }
}

/**
 * preValidation hook: a NUL character (U+0000) in a path or query parameter, or in a string (or a member
 * name) of a JSON body, is refused with 400 naming where it is. No id or name holds one, PostgreSQL can
 * neither store one in text nor compare with one (it answered 500), and in a path it is the classic way to
 * cut a file name short. Raw bodies (files) are their parsers' to read.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const pointers = [
    ...nulsIn(request.params, '/params', 1),
    ...nulsIn(request.query, '/querystring', 1),
    ...nulsIn(request.body, '/body', MAX_DEPTH),
  ];
  const issues: FieldIssue[] = pointers.map((pointer) => ({ pointer, detail: 'must not contain a NUL character (U+0000)' }));
  if (issues.length > 0) throw new InputError(`${issues[0]!.pointer} must not contain a NUL character`, issues);
}

import type { FastifyRequest } from 'fastify';
import { InputError, type FieldIssue } from '../errors.js';

function* nulsIn(value: unknown, pointer: string, depth = 0): Generator<string> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) yield pointer;
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* nulsIn(item, `${pointer}/${i}`);
    return;
  }
  if (value === null || typeof value !== 'object' || depth > 0) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) yield* nulsIn(child, `${pointer}/${key}`, depth + 1);
}

/**
 * preValidation hook: a NUL character (U+0000) in a path or query parameter is refused with 400 naming the
 * parameter. No id or name holds one, PostgreSQL cannot compare with one (it answered 500), and in a path
 * it is the classic way to cut a file name short. (Bodies are their schemas' and parsers' to check.)
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const issues: FieldIssue[] = [...nulsIn(request.params, '/params'), ...nulsIn(request.query, '/querystring')].map((pointer) => ({
    pointer,
    detail: 'must not contain a NUL character (U+0000)',
  }));
  if (issues.length > 0) throw new InputError(`${issues[0]!.pointer} must not contain a NUL character`, issues);
}

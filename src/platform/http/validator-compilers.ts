import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import type { Options as AjvOptions } from 'ajv';

/**
 * Validators that read a request's parts as they arrive: the query string, path parameters and headers
 * are text, so `?limit=20` and `?includeRejected=true` are parsed into the integer and boolean their
 * schema names; a JSON body is typed already, so it is checked as sent — `null` is not `false` and `42` is
 * not `"42"`, each a 400 naming the pointer.
 */
export function bodyStrictValidators(ajvOptions: AjvOptions): ValidatorFactory {
  const pool = AjvCompiler();
  return (externalSchemas) => {
    const text = pool(externalSchemas, { customOptions: { ...ajvOptions, coerceTypes: 'array' } });
    const json = pool(externalSchemas, { customOptions: { ...ajvOptions, coerceTypes: false } });
    return (route) => (route.httpPart === 'body' ? json : text)(route);
  };
}

import type { ValidatorFactory } from '@fastify/ajv-compiler';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * Route validators and response serializers compiled when a request first needs them, not when the route
 * is registered. Fastify compiles every schema of every route at start (Ajv for each request part,
 * fast-json-stringify for each response status, again for each GET's HEAD twin): about 3 s of CPU of a
 * 3.3 s server start, before the first request can be answered, most of it for routes a process may never
 * serve. A restarted server (after a crash, a deploy, a scale-out) answers that much sooner; a request
 * pays only for its own route's schemas, once per process.
 */
export function validatorsCompiledOnFirstUse(factory: ValidatorFactory): ValidatorFactory {
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    return (route) => {
      let compiled: ReturnType<typeof compile> | undefined;
      const validate = ((data: unknown) => (compiled ??= compile(route))(data)) as ReturnType<typeof compile>;
      // Fastify reads a failed validation's errors from the function it called, as Ajv leaves them there.
      Object.defineProperty(validate, 'errors', { get: () => compiled?.errors ?? null });
      return validate;
    };
  };
}

/** See {@link validatorsCompiledOnFirstUse}. */
export function serializersCompiledOnFirstUse(factory: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    return (route) => {
      let compiled: ((data: unknown) => string) | undefined;
      return (data: unknown) => (compiled ??= compile(route))(data);
    };
  };
}

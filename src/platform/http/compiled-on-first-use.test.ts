import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { serializersCompiledOnFirstUse, validatorsCompiledOnFirstUse } from './compiled-on-first-use.js';

/** A compiler factory that counts the routes' schemas it compiled, by the part or status they are for. */
function counting<F extends (...args: never[]) => (route: never) => unknown>(factory: F, seen: string[], key: (route: never) => string): F {
  return ((...args: Parameters<F>) => {
    const compile = factory(...args);
    return (route: never) => {
      seen.push(key(route));
      return compile(route);
    };
  }) as F;
}

async function serverWithOneRoute() {
  const validators: string[] = [];
  const serializers: string[] = [];
  const app = Fastify({
    schemaController: {
      compilersFactory: {
        buildValidator: validatorsCompiledOnFirstUse(counting(AjvCompiler(), validators, (r: { httpPart: string }) => r.httpPart)),
        buildSerializer: serializersCompiledOnFirstUse(
          counting(SerializerSelector(), serializers, (r: { httpStatus: string }) => r.httpStatus),
        ),
      },
    },
  });
  app.post(
    '/things',
    {
      schema: {
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } },
        response: {
          201: { type: 'object', properties: { name: { type: 'string' } } },
          409: { type: 'object', properties: { code: { type: 'string' } } },
        },
      },
    },
    async (request, reply) => reply.status(201).send({ ...(request.body as object), secret: 'not in the schema' }),
  );
  await app.ready();
  return { app, validators, serializers };
}

describe('route schemas compiled on first use', () => {
  it('compiles none at start, and each of a route’s schemas once, when a request first needs it', async () => {
    const { app, validators, serializers } = await serverWithOneRoute();
    expect([validators, serializers]).toEqual([[], []]);
    const first = await app.inject({ method: 'POST', url: '/things', payload: { name: 'one' } });
    const second = await app.inject({ method: 'POST', url: '/things', payload: { name: 'two' } });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect([validators, serializers]).toEqual([['body'], ['201']]);
    await app.close();
  });

  it('validates and serializes as the schemas say: a failed validation names its field, an undeclared member is not sent', async () => {
    const { app } = await serverWithOneRoute();
    const refused = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ message: 'body/name must NOT have fewer than 2 characters' });
    const missing = await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(missing.json()).toMatchObject({ message: "body must have required property 'name'" });
    const created = await app.inject({ method: 'POST', url: '/things', payload: { name: 'ok' } });
    expect(created.json()).toEqual({ name: 'ok' });
    await app.close();
  });
});

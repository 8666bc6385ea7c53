import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { responseDrift } from './response-drift.js';
import { bareHttpServer } from './test-server.js';
import { ConflictError } from '../errors.js';
import { Nullable, pageOf, problemResponses, problemWith } from './schemas.js';
import type { ResponseDrift } from './response-drift.js';

const Thing = Type.Object({ id: Type.String(), note: Type.Optional(Type.String()), owner: Nullable(Type.Object({ name: Type.String() })) });

describe('responseDrift', () => {
  it('finds nothing when the answer has the fields its schema declares', () => {
    expect(responseDrift(Thing, { id: 'a', owner: null })).toEqual([]);
    expect(responseDrift(Thing, { id: 'a', note: 'n', owner: { name: 'x' } })).toEqual([]);
    expect(responseDrift(Thing, { id: 'a', note: undefined, owner: null }), 'an undefined field is not serialized').toEqual([]);
  });

  it('finds a field the schema lacks, nested in pages and nullable objects too', () => {
    expect(responseDrift(Thing, { id: 'a', owner: null, extra: 1 })).toEqual([
      '/extra: returned but not in the response schema (the serializer drops it)',
    ]);
    expect(responseDrift(pageOf(Thing), { items: [{ id: 'a', owner: { name: 'x', email: 'e' } }], nextCursor: null })).toEqual([
      '/items/0/owner/email: returned but not in the response schema (the serializer drops it)',
    ]);
  });

  it('finds a required field the answer lacks', () => {
    expect(responseDrift(Thing, { owner: null })).toEqual(['/id: required by the response schema but not returned']);
  });

  it('accepts what an open object or a record allows', () => {
    expect(responseDrift(Type.Record(Type.String(), Type.Integer()), { a: 1, b: 2 })).toEqual([]);
    expect(responseDrift(Type.Object({ id: Type.String() }, { additionalProperties: true }), { id: 'a', b: 2 })).toEqual([]);
  });

  it('picks the union member the answer fits', () => {
    const Either = Type.Union([
      Type.Object({ kind: Type.Literal('a'), a: Type.String() }),
      Type.Object({ kind: Type.Literal('b'), b: Type.String() }),
    ]);
    expect(responseDrift(Either, { kind: 'b', b: 'x' })).toEqual([]);
    expect(responseDrift(Either, { kind: 'b', b: 'x', c: 1 })).toEqual([
      '/c: returned but not in the response schema (the serializer drops it)',
    ]);
  });

  it('is reported by the server for every JSON answer when a test asks', async () => {
    const seen: ResponseDrift[] = [];
    const app = await bareHttpServer({ onResponseDrift: (d) => seen.push(d) });
    app.get('/thing', { schema: { response: { 200: Thing } } }, () => ({ id: 'a', owner: null, secret: 's' }));
    app.get('/text', { schema: { response: { 200: Type.String() } } }, () => 'plain');
    await app.ready();
    const answer = await app.inject({ method: 'GET', url: '/thing' });
    expect(answer.json(), 'the serializer drops the undeclared field: the drift the check is for').toEqual({ id: 'a', owner: null });
    await app.inject({ method: 'GET', url: '/text' });
    expect(seen).toEqual([
      { route: 'GET /thing', status: 200, problems: ['/secret: returned but not in the response schema (the serializer drops it)'] },
    ]);
    await app.close();
  });

  it("holds a problem answer to its status's schema: an extension member reaches the client only where declared", async () => {
    const seen: ResponseDrift[] = [];
    const app = await bareHttpServer({ onResponseDrift: (d) => seen.push(d) });
    const conflict = () => {
      throw new ConflictError('the case is under embargo', { code: 'embargo-active', extensions: { embargoState: 'active' } });
    };
    app.post('/shared', { schema: { response: { 200: Thing, ...problemResponses(409) } } }, conflict);
    const declared409 = problemWith(409, 'the embargo state', { embargoState: Type.String() });
    app.post('/declared', { schema: { response: { 200: Thing, ...problemResponses(409), ...declared409 } } }, conflict);
    await app.ready();

    const shared = await app.inject({ method: 'POST', url: '/shared' });
    expect(shared.statusCode).toBe(409);
    expect(shared.json(), 'the shared Problem declares no extension: the serializer drops it').not.toHaveProperty('embargoState');
    const declared = await app.inject({ method: 'POST', url: '/declared' });
    expect(declared.json()).toMatchObject({ code: 'embargo-active', status: 409, embargoState: 'active' });
    expect(seen).toEqual([
      {
        route: 'POST /shared',
        status: 409,
        problems: ['/embargoState: returned but not in the response schema (the serializer drops it)'],
      },
      { route: 'POST /declared', status: 409, problems: [] },
    ]);
    await app.close();
  });
});

import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { commaList, optionalBody, routeKit } from './route-kit.js';
import { requireAuthentication } from './context.js';

const Thing = Type.Object({ id: Type.String() });

describe('routeKit', () => {
  it('tags every route with the module and keeps the parts it is given', () => {
    const { spec } = routeKit('cases');
    expect(spec('One case', { params: Thing })).toEqual({ tags: ['cases'], summary: 'One case', params: Thing });
  });

  it('authenticates, with the body limit only when the module sets one', () => {
    expect(routeKit('a').auth).toEqual({ onRequest: requireAuthentication });
    expect(routeKit('b', { bodyLimit: 1024 }).auth).toEqual({ onRequest: requireAuthentication, bodyLimit: 1024 });
  });

  it('answers with the status, the problems every route gives, the module-wide ones and the route’s own', () => {
    const { answers } = routeKit('m', { errors: [413] });
    expect(Object.keys(answers(Thing)).map(Number).sort()).toEqual([200, 400, 401, 404, 413, 429, 500]);
    expect(
      Object.keys(answers(Thing, [409], 201))
        .map(Number)
        .sort(),
    ).toEqual([201, 400, 401, 404, 409, 413, 429, 500]);
    expect(answers(Thing, [], 201)[201]).toBe(Thing);
  });

  it('pages are {items, nextCursor}', () => {
    const page = routeKit('m').pageAnswers(Thing)[200] as unknown as { properties: Record<string, unknown> };
    expect(Object.keys(page.properties).sort()).toEqual(['items', 'nextCursor']);
  });
});

describe('commaList and optionalBody', () => {
  it('splits, trims and drops empty entries; absent stays absent', () => {
    expect(commaList(' a,b , ,c ')).toEqual(['a', 'b', 'c']);
    expect(commaList(undefined)).toBeUndefined();
  });

  it('checks an object body against the schema and lets an absent one through', () => {
    expect(optionalBody(Thing)).toMatchObject({ if: { type: 'object' }, then: Thing });
  });
});

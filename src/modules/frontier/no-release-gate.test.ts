import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { DAY } from '../../platform/clock.js';
import { GRANT_TERM_KEYS } from './domain/grant-rules.js';
import { REVIEW_STATES, type ReviewState } from './domain/review-window.js';

/**
 * DESIGN §5, "No release gate": no state of a frontier review can block, delay or condition a model
 * release, and there is no approve-release call. Checked on the registered API itself and by walking a
 * model through every review state.
 */

// Words of gatekeeping. "approve" alone is allowed (partners are approved), but never about a release.
const GATE_WORDS =
  /clearance|preclear|permit|licen[cs]|\bgate[ds]?\b|\bgating|\bblock|\bdelay|\bhold\b|veto|authori[sz]|verdict|approv\w*[\s_/-]*release|release[\s_/-]*(approv|clear|allow|permi|authori)/i;
const RELEASE = /release/i;
const ALLOWED_RELEASE_FIELDS = new Set(['plannedRelease']);

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      { summary?: string; description?: string; operationId?: string; requestBody?: unknown; responses?: unknown; parameters?: unknown }
    >
  >;
}

/** Every property name and enum value anywhere in a schema. */
function vocabulary(schema: unknown, names: Set<string>, values: Set<string>): void {
  if (Array.isArray(schema)) return schema.forEach((s) => vocabulary(s, names, values));
  if (schema === null || typeof schema !== 'object') return;
  const record = schema as Record<string, unknown>;
  if (record.properties !== null && typeof record.properties === 'object')
    for (const name of Object.keys(record.properties)) names.add(name);
  if (Array.isArray(record.enum)) for (const value of record.enum) values.add(String(value));
  if (typeof record.const === 'string') values.add(record.const);
  if (record.in !== undefined && typeof record.name === 'string') names.add(record.name);
  Object.values(record).forEach((v) => vocabulary(v, names, values));
}

async function openApi(s: TestServer): Promise<OpenApi> {
  return (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<OpenApi>();
}

describeEachDatabase('no release gate (invariant)', (dialect) => {
  const get = useTestServer(dialect);

  it('has no route, field or state that approves, blocks, delays or conditions a release', async () => {
    const s = get();
    const doc = await openApi(s);
    const operations = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/frontier'));
    expect(operations.flatMap(([, methods]) => Object.keys(methods)).length).toBeGreaterThanOrEqual(46);
    const names = new Set<string>();
    const values = new Set<string>();
    for (const [path, methods] of operations) {
      expect(path, path).not.toMatch(GATE_WORDS);
      expect(path, path).not.toMatch(RELEASE);
      for (const [method, op] of Object.entries(methods)) {
        for (const text of [op.summary, op.description, op.operationId]) expect(text ?? '', `${method} ${path}`).not.toMatch(GATE_WORDS);
        vocabulary([op.requestBody, op.responses, op.parameters], names, values);
      }
    }
    // The walk saw the schemas (so the checks below are not vacuous).
    expect(names.has('plannedRelease') && names.has('windowEnd') && values.has('withdrawn')).toBe(true);
    for (const name of names) {
      expect(name).not.toMatch(GATE_WORDS);
      if (RELEASE.test(name)) expect(ALLOWED_RELEASE_FIELDS.has(name), `field ${name}`).toBe(true);
    }
    for (const value of values)
      expect(value, `enum value ${value}`).not.toMatch(
        /(^|_)(approved|cleared|blocked|denied|rejected|gated|permitted|licensed|held|vetoed)(_|$)|release/i,
      );
    expect([...REVIEW_STATES].sort()).toEqual(['completed', 'ended', 'open', 'scheduled', 'withdrawn']);
  });

  it('walks every review state: the planned release never changes because of one, and stays the developer’s to move', async () => {
    const s = get();
    const lab = await s.org('model_developer');
    const agency = await s.org('agency');
    const created = await s.call(lab, 'POST', '/api/v1/frontier/models', { name: 'Atlas', version: '3.0', plannedRelease: '2026-09-01' });
    const modelId = (created.body as { id: string }).id;
    const modelKeys = Object.keys(created.body as object).sort();
    const model = async () => (await s.call(lab, 'GET', `/api/v1/frontier/models/${modelId}`)).body as Record<string, unknown>;
    const seen = new Set<ReviewState>();

    const check = async (reviewId: string, expected: ReviewState) => {
      const review = (await s.call(lab, 'GET', `/api/v1/frontier/reviews/${reviewId}`)).body as Record<string, unknown>;
      expect(review.state).toBe(expected);
      seen.add(expected);
      for (const key of Object.keys(review)) expect(key).not.toMatch(RELEASE);
      const before = await model();
      expect(before.plannedRelease, `in state ${expected}`).toBe('2026-09-01');
      expect(Object.keys(before).sort()).toEqual(modelKeys);
      // In every state the developer may move its release, even to before the window ends, and back.
      const earlier = await s.call(lab, 'PATCH', `/api/v1/frontier/models/${modelId}`, { plannedRelease: '2026-06-03' });
      expect(earlier.status, `release change in state ${expected}`).toBe(200);
      expect((await s.call(lab, 'PATCH', `/api/v1/frontier/models/${modelId}`, { plannedRelease: '2026-09-01' })).status).toBe(200);
      const report = (await s.call(lab, 'GET', `/api/v1/frontier/reviews/${reviewId}/report`)).body as Record<string, unknown>;
      expect(report).toMatchObject({ informationalOnly: true, model: { plannedRelease: '2026-09-01' } });
      expect(JSON.stringify(Object.keys(report))).not.toMatch(GATE_WORDS);
    };
    const open = async (accessStart: string, days: number) => {
      const review = await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart, days });
      expect(review.status).toBe(201);
      const id = (review.body as { id: string }).id;
      const grant = await s.call(lab, 'POST', `/api/v1/frontier/reviews/${id}/grants`, {
        granteeOrgId: agency.orgId,
        scope: 'hosted_api',
        expiresAt: new Date(Date.parse(accessStart) + days * DAY).toISOString(),
      });
      await s.call(agency, 'POST', `/api/v1/frontier/grants/${(grant.body as { id: string }).id}/acknowledge`, { terms: GRANT_TERM_KEYS });
      return id;
    };
    const untouched = async () =>
      (await s.runtime.db.kysely
        .selectFrom('frontier_model')
        .select(['planned_release', 'updated_at'])
        .where('id', '=', modelId)
        .executeTakeFirstOrThrow()) as { planned_release: string; updated_at: string };

    const scheduled = await open('2026-06-10T00:00:00Z', 5);
    await check(scheduled, 'scheduled');
    const stamp = await untouched();
    await s.call(lab, 'POST', `/api/v1/frontier/reviews/${scheduled}/withdraw`, { reason: 'changed plans' });
    await check(scheduled, 'withdrawn');

    const running = await open(s.clock.now().toISOString(), 30);
    await check(running, 'open');
    await s.call(lab, 'POST', `/api/v1/frontier/reviews/${running}/end`);
    await check(running, 'ended');

    const short = await open(s.clock.now().toISOString(), 2);
    s.clock.advance(3 * DAY);
    await s.runtime.jobs.drain();
    await check(short, 'completed');
    expect([...seen].sort()).toEqual([...REVIEW_STATES].sort());

    // Withdrawing, ending and expiry never wrote to the model: only the developer's own PATCHes did.
    const audit = await s.runtime.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'actor'])
      .where('subject_id', '=', modelId)
      .execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['frontier.model.create', 'frontier.model.update']));
    expect(audit.every((a) => a.actor === lab.userId)).toBe(true);
    expect((await untouched()).planned_release).toBe(stamp.planned_release);
  });

  it('lets no party but the developer touch the release date, in any state', async () => {
    const s = get();
    const lab = await s.org('model_developer');
    const agency = await s.org('agency');
    const modelId = (
      (await s.call(lab, 'POST', '/api/v1/frontier/models', { name: 'Atlas', version: '3.0', plannedRelease: '2026-09-01' })).body as {
        id: string;
      }
    ).id;
    const reviewId = (
      (await s.call(lab, 'POST', '/api/v1/frontier/reviews', { modelId, accessStart: s.clock.now().toISOString(), days: 30 })).body as {
        id: string;
      }
    ).id;
    await s.call(lab, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
      granteeOrgId: agency.orgId,
      scope: 'hosted_api',
      expiresAt: '2026-06-20T00:00:00Z',
    });
    for (const who of [agency, s.coordinatorAdmin] as TestUser[]) {
      expect((await s.call(who, 'PATCH', `/api/v1/frontier/models/${modelId}`, { plannedRelease: '2027-01-01' })).status).toBe(403);
    }
    expect(((await s.call(lab, 'GET', `/api/v1/frontier/models/${modelId}`)).body as { plannedRelease: string }).plannedRelease).toBe(
      '2026-09-01',
    );
  });
});

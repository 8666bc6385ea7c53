/**
 * The access matrix (issue 10): every operation of `/api/openapi.json`, called by every member of the cast
 * (each organisation kind × admin, analyst, viewer, and an anonymous caller), on records seeded at every TLP
 * with named and unnamed recipients, each carrying unique canaries (words, CVE ids, instants). For every
 * answer it checks that
 *   - no canary appears that its caller may not read (a record, or anything derived from it: a summary,
 *     a queue entry, an audit line, a "first seen" time);
 *   - no count of a known cluster's reports or reporters exceeds what the caller may see;
 *   - a record the caller may not see answers 404 (anonymous callers: 401 or 404), and a visible one does not;
 *   - nothing answers 5xx;
 *   - a write that is refused changes nothing (every table's row count and the audit chain head), and no
 *     viewer or anonymous caller writes (except to their own tokens);
 *   - every operation has a fixture, and at least one call of it succeeds (the fixture exercises it).
 * Audiences are this test's own statement of DESIGN §5 (world.ts), not calls into the code under test.
 *
 * ADDING A ROUTE. An operation without a fixture fails "has a fixture for every operation". Add one to your
 * module's `src/modules/<module>/test-support/access-matrix.ts` (create it from a neighbour's and register
 * it in ./modules.ts):
 *   - `seed(world)` plants your records: give every field that carries content a canary
 *     (`world.canary(label, audience)`, `world.cve`, `world.tick(label, audience)` for times); for a
 *     TLP-labelled record use `world.later()` / `world.label({id, tlp, ownerOrgId, createdBy})` so the
 *     audience follows the stored recipients, and share it as `world.sharing(tlp)` says.
 *   - a fixture `{ route: 'GET /api/v1/things/{id}', cases: (w) => [...] }` lists calls, each with the
 *     record its path names as `subject` (label and audience). For writes, give functions: each returns a
 *     fresh record, made again after a call succeeded, so every caller meets the record as seeded.
 * Keep it lean: a handful of cases per route (one per TLP where the route shows TLP-labelled content).
 *
 * Known leaks being fixed are listed in KNOWN below (patterns with `*`); the list only shrinks, and an
 * entry that no longer matches fails too. ACCESS_MATRIX_REPORT=file writes every finding as JSON.
 */
import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.js';
import type { HttpApp, ResponseDrift } from '../../src/platform/http/index.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { createTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { WRITE_METHODS, runRoute, type Finding, type RouteRun } from './engine.js';
import type { RouteFixture } from './fixture.js';
import { closeDeliveries, deliveryFindings } from './deliveries.js';
import { MODULE_MATRICES } from './modules.js';
import { changeOneRow, unwatchedTables, watchState, type StateDigest } from './state-digest.js';
import { CAST_KINDS, World, type CastKind, type CastOrg, type Member } from './world.js';

/** Findings known and being fixed (patterns; `*` matches anything). Only ever shrinks. */
const KNOWN: readonly string[] = [];

const fixtures: RouteFixture[] = MODULE_MATRICES.flatMap((m) => m.fixtures);
// Reads first, on the world as seeded; then writes, each on records of its own.
const ordered = [
  ...fixtures.filter((f) => !WRITE_METHODS.has(f.route.split(' ')[0]!)),
  ...fixtures.filter((f) => WRITE_METHODS.has(f.route.split(' ')[0]!)),
];

const patterns = KNOWN.map((p) => ({ p, re: new RegExp(`^${p.split('*').map(escape).join('.*')}$`) }));
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const known = (f: Finding) => patterns.some(({ re }) => re.test(f.key));

async function castOf(t: TestRuntime): Promise<Record<CastKind, CastOrg>> {
  const member = (kind: CastKind, role: 'admin' | 'analyst' | 'viewer', user: TestUser): Member => ({
    key: `${kind}.${role}`,
    kind,
    role,
    user,
    orgId: user.orgId,
    userId: user.userId,
  });
  const orgs = {} as Record<CastKind, CastOrg>;
  for (const kind of CAST_KINDS) {
    const admin =
      kind === 'coordinator' ? t.coordinatorAdmin : await t.org(kind, { role: 'admin', sectors: kind === 'operator' ? ['energy'] : [] });
    orgs[kind] = {
      kind,
      orgId: admin.orgId,
      admin: member(kind, 'admin', admin),
      analyst: member(kind, 'analyst', await t.user(admin.orgId, 'analyst')),
      viewer: member(kind, 'viewer', await t.user(admin.orgId, 'viewer')),
    };
  }
  return orgs;
}

describeEachDatabase('access matrix', (dialect) => {
  let t: TestRuntime;
  let app: HttpApp;
  let world: World;
  let state: StateDigest;
  let operations: string[];
  /** Operation → path parameter → the values its schema enumerates. */
  let enumerated: Map<string, Map<string, readonly string[]>>;
  let background = '';
  const runs: RouteRun[] = [];
  let started = 0;
  let seededIn = 0;
  /** Operations with a JSON answer (2xx) → how many answers were compared with its schema; and the drifts. */
  let jsonOperations: string[] = [];
  const answersChecked = new Map<string, number>();
  const drifts: ResponseDrift[] = [];

  beforeAll(async () => {
    started = Date.now();
    t = await createTestRuntime(dialect, { CLEARINGHOUSE_RATE_LIMIT: '10000000' });
    const lap = (what: string) =>
      process.env.ACCESS_MATRIX_TIMES && console.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    lap('runtime');
    app = await buildServer(t.runtime, {
      onResponseDrift: (drift) => {
        // Problem answers too: an extension member their schema lacks would be dropped.
        if (drift.problems.length > 0) drifts.push(drift);
        if (drift.status < 300) answersChecked.set(drift.route, (answersChecked.get(drift.route) ?? 0) + 1);
      },
    });
    world = new World(t, app, await castOf(t));
    lap('cast');
    for (const module of MODULE_MATRICES) {
      await module.seed(world);
      lap(module.module);
    }
    await t.runtime.jobs.drain();
    await world.refresh();
    state = await watchState(t.runtime.db.kysely as Kysely<unknown>, dialect);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    enumerated = new Map();
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops as Record<string, { parameters?: OpenApiParameter[] }>))
        for (const p of op.parameters ?? [])
          if (p.in === 'path' && Array.isArray(p.schema?.enum)) {
            const route = `${method.toUpperCase()} ${path}`;
            enumerated.set(route, (enumerated.get(route) ?? new Map()).set(p.name, p.schema.enum));
          }
    jsonOperations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, OpenApiOperation>)
        .filter(([, op]) => Object.entries(op.responses ?? {}).some(([status, r]) => status.startsWith('2') && answersJsonObjects(r)))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    seededIn = Date.now() - started;
  }, 600_000);

  afterAll(async () => {
    const findings = runs.flatMap((r) => r.findings);
    const requests = runs.reduce((n, r) => n + r.requests, 0);
    const categories = new Map<string, number>();
    for (const f of findings) {
      const category =
        f.key
          .split(' :: ')[2]
          ?.replace(/ (of|the) .*$/, '')
          .replace(/^reads .*/, 'reads a canary') ?? '?';
      categories.set(category, (categories.get(category) ?? 0) + 1);
    }
    console.log(
      `access matrix [${dialect}]: ${runs.length} operations × ${world?.members.length ?? 0} callers, ${requests} requests, ` +
        `${world?.canaries.size ?? 0} canaries; seeded in ${(seededIn / 1000).toFixed(1)} s, all in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${findings.length} findings (${findings.filter((f) => !known(f)).length} not known)` +
        (categories.size > 0 ? `: ${[...categories].map(([c, n]) => `${c} ${n}`).join(', ')}` : '') +
        background,
    );
    if (process.env.ACCESS_MATRIX_REPORT)
      writeFileSync(`${process.env.ACCESS_MATRIX_REPORT}.${dialect}.json`, JSON.stringify(findings, null, 1));
    await closeDeliveries(world);
    await app?.close();
    await t?.runtime.close();
    await t?.database.drop();
  });

  it('has a fixture for every operation of the OpenAPI document, and none for operations it lacks', () => {
    const covered = new Set(fixtures.map((f) => f.route));
    expect(
      operations.filter((op) => !covered.has(op)),
      'operations the access matrix cannot exercise: give each a fixture',
    ).toEqual([]);
    expect(
      fixtures.map((f) => f.route).filter((r) => !operations.includes(r)),
      'fixtures of operations the document does not have',
    ).toEqual([]);
    expect(new Set(fixtures.map((f) => f.route)).size, 'one fixture per operation').toBe(fixtures.length);
  });

  it('sees a refused write that changed a row: one deleted, or deleted and inserted again, in any table', async () => {
    const db = t.runtime.db.kysely as Kysely<unknown>;
    const committed = await state.read();
    const missed: string[] = [];
    let tried = 0;
    for (const table of state.tables)
      for (const reinsert of [false, true]) {
        const seen = await db
          .transaction()
          .execute(async (trx) => {
            const changed = await changeOneRow(trx, dialect, table, reinsert);
            const inside = await state.read(trx);
            throw new RolledBack(changed ? [...inside.keys()].filter((k) => inside.get(k) !== committed.get(k)) : null);
          })
          .catch((e: unknown) => {
            if (e instanceof RolledBack) return e.changed;
            throw e;
          });
        if (seen === null) continue;
        tried += 1;
        if (!seen.includes(table)) missed.push(`${table}${reinsert ? ' (deleted and inserted again)' : ''}`);
      }
    expect(missed, 'changes the digest did not see').toEqual([]);
    expect(tried, 'tables with a row to change: the seeded world').toBeGreaterThan(state.tables.length);
    expect(await unwatchedTables(db, dialect, state.tables), 'tables whose changes are not logged').toEqual([]);
    expect(await state.read(), 'changes rolled back are not logged').toEqual(committed);
  });

  for (const fixture of ordered) {
    it(
      fixture.route,
      async () => {
        const run = await runRoute(world, fixture, state);
        runs.push(run);
        expect(
          run.succeeded,
          `no call of ${fixture.route} succeeded: its fixture does not exercise it\n${run.statuses.join('\n')}`,
        ).toBeGreaterThan(0);
        const unexpected = run.findings.filter((f) => !known(f));
        expect(unexpected.map((f) => `${f.key}\n      ${f.detail}`)).toEqual([]);
        const stale = patterns.filter(({ p, re }) => p.startsWith(`${fixture.route} :: `) && !run.findings.some((f) => re.test(f.key)));
        expect(
          stale.map(({ p }) => p),
          'known leaks no longer found: remove them from KNOWN',
        ).toEqual([]);
      },
      300_000,
    );
  }

  it('asks for every value of every enumerated path parameter (every export format, every feed)', () => {
    const missing: string[] = [];
    for (const [route, params] of enumerated) {
      const asked = runs.find((r) => r.route === route)?.params ?? [];
      for (const [name, values] of params)
        for (const value of values) if (!asked.some((p) => p[name] === value)) missing.push(`${route} {${name}} = ${value}`);
    }
    expect(missing, 'give the fixture a case for each value: a new one joins the matrix').toEqual([]);
  });

  it('every operation answering JSON was seen answering, each answer with the fields its response schema declares', () => {
    // Fastify serializes a handler's answer through the route's response schema: a field the schema lacks
    // is dropped without a word, one it requires is a 500. Every answer above was compared before that,
    // problem answers included (a conflict's extension members).
    const route = (op: string) => op.replace(/\{(\w+)\}/g, ':$1');
    expect(jsonOperations.length, 'the OpenAPI document lists JSON operations').toBeGreaterThan(50);
    expect(
      jsonOperations.filter((op) => !answersChecked.has(route(op))),
      'JSON operations no call answered with a success: their answers were never compared with their schemas',
    ).toEqual([]);
    const problems = [...new Set(drifts.flatMap((d) => d.problems.map((p) => `${d.route} ${d.status} ${p}`)))];
    expect(problems, 'answers whose fields differ from their response schema').toEqual([]);
  });

  it('background deliveries (webhook payloads, inbox items) carry nothing their organisation may not read', async () => {
    const { payloads, notifications, findings } = await deliveryFindings(world);
    background = `; background: ${payloads} webhook payloads, ${notifications} inbox items, ${findings.length} findings`;
    expect(payloads, 'the receivers got nothing: the check would prove nothing').toBeGreaterThan(0);
    expect(findings.map((f) => `${f.key}\n      ${f.detail}`)).toEqual([]);
  }, 300_000);
});

interface OpenApiOperation {
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: { readonly type?: string } }> }>;
}

/** A response whose JSON body is an object or a list: what a presenter makes. */
function answersJsonObjects(response: NonNullable<OpenApiOperation['responses']>[string]): boolean {
  const type = response.content?.['application/json']?.schema?.type;
  return type === 'object' || type === 'array';
}

interface OpenApiParameter {
  readonly in: string;
  readonly name: string;
  readonly schema?: { readonly enum?: readonly string[] };
}

/** Ends the digest test's transaction, carrying what it saw out of it. */
class RolledBack extends Error {
  constructor(readonly changed: string[] | null) {
    super('rolled back');
  }
}

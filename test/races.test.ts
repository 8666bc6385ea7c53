import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/;
const CONCURRENT = 200;
const ADMIN_TOKEN = 'race-test-admin-token-0123456789-abcdefghij';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Every unique key a client can race on (a name, an e-mail, a content hash, a nomination, a sign-off):
 * 200 identical requests at once against a real server answer exactly what the sequential path answers —
 * one success, and for every other the same status and problem code as the same request sent again
 * afterwards. Never a 5xx: on PostgreSQL the losers' inserts fail with a unique violation (23505) once the
 * winner commits, which used to surface as a 500.
 */
describeEachDatabase('identical requests at the same moment', (dialect) => {
  let target: TestDatabaseUrl;
  let server: ChildProcess;
  let base = '';

  beforeAll(async () => {
    target = await createTestDatabaseUrl(dialect, { migrated: true });
    server = spawnTs('src/app/main.ts', ['serve'], {
      DATABASE_URL: target.url,
      CLEARINGHOUSE_DATA_DIR: target.dir,
      PORT: '0',
      LOG_LEVEL: 'error',
      CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
      CLEARINGHOUSE_RATE_LIMIT: '1000000',
    });
    base = (await waitForLine(server, LISTENING))[1] as string;
  });
  afterAll(async () => {
    await killed(server);
    await target.drop();
  });

  async function call(token: string, method: string, path: string, body?: unknown, raw?: Buffer): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(raw === undefined ? {} : { 'content-type': 'application/octet-stream' }),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  /** Sends the request 200 times at once, then once more; returns the racing answers and the later one. */
  async function race(token: string, method: string, path: string, body?: unknown, raw?: Buffer) {
    const racing = await Promise.all(Array.from({ length: CONCURRENT }, () => call(token, method, path, body, raw)));
    const sequential = await call(token, method, path, body, raw);
    return { racing, sequential };
  }

  const statusCounts = (answers: readonly Answer[]) =>
    answers.reduce<Record<number, number>>((out, a) => ({ ...out, [a.status]: (out[a.status] ?? 0) + 1 }), {});

  /** One success; every other racing answer as the sequential repeat: same status, same problem code. */
  function expectSequentialAnswers(result: { racing: Answer[]; sequential: Answer }, success: number) {
    const counts = statusCounts(result.racing);
    const serverErrors = result.racing.filter((a) => a.status >= 500);
    expect(
      serverErrors.map((a) => a.body.detail),
      `statuses ${JSON.stringify(counts)}`,
    ).toEqual([]);
    expect(counts[success]).toBe(1);
    const losers = result.racing.filter((a) => a.status !== success);
    expect(losers).toHaveLength(CONCURRENT - 1);
    for (const loser of losers) {
      expect(loser.status).toBe(result.sequential.status);
      expect(loser.body.code).toBe(result.sequential.body.code);
    }
    return counts;
  }

  async function newOrgAdmin(name: string, kind: string, sectors: string[] = []): Promise<{ orgId: string; token: string }> {
    const org = await call(ADMIN_TOKEN, 'POST', '/api/v1/orgs', { name, kind, sectors });
    expect(org.status).toBe(201);
    const orgId = org.body.id as string;
    const user = await call(ADMIN_TOKEN, 'POST', `/api/v1/orgs/${orgId}/users`, {
      email: `admin@${kind}-${orgId}.example`,
      name: `${name} admin`,
      role: 'admin',
    });
    expect(user.status).toBe(201);
    return { orgId, token: (user.body.token as { token: string }).token };
  }

  it('creating one organisation name: one 201, the rest 409 org-name-taken', async () => {
    const result = await race(ADMIN_TOKEN, 'POST', '/api/v1/orgs', { name: 'Racing Vendor Inc', kind: 'vendor' });
    expect(result.sequential).toMatchObject({ status: 409, body: { code: 'org-name-taken' } });
    expectSequentialAnswers(result, 201);
    const orgs = await call(ADMIN_TOKEN, 'GET', '/api/v1/orgs?limit=500');
    expect((orgs.body.items as { name: string }[]).filter((o) => o.name === 'Racing Vendor Inc')).toHaveLength(1);
  });

  it('adding one e-mail address: one 201, the rest 409 email-taken', async () => {
    const { orgId } = await newOrgAdmin('Email Race Vendor', 'vendor');
    const result = await race(ADMIN_TOKEN, 'POST', `/api/v1/orgs/${orgId}/users`, {
      email: 'same@email-race.example',
      name: 'Same Person',
      role: 'analyst',
    });
    expect(result.sequential).toMatchObject({ status: 409, body: { code: 'email-taken' } });
    expectSequentialAnswers(result, 201);
  });

  it('submitting identical bytes: one 201, the rest 200 "submitted before" with the whole answer', async () => {
    const { token } = await newOrgAdmin('Racing Researchers', 'researcher');
    const document = nativeDocument([nativeFinding(), nativeFinding({ title: 'Path traversal', cwe: ['CWE-22'] })]);
    const result = await race(token, 'POST', '/api/v1/submissions', undefined, document);
    expect(result.sequential.status).toBe(200);
    expect(result.sequential.body.repeated).toBe(true);
    expectSequentialAnswers(result, 201);
    const first = result.racing.find((a) => a.status === 201)!;
    const submissionId = (first.body.submission as { id: string }).id;
    expect((result.sequential.body.findings as unknown[]).length).toBe(2);
    for (const loser of result.racing.filter((a) => a.status === 200)) {
      expect((loser.body.submission as { id: string }).id).toBe(submissionId);
      expect(loser.body.findings).toEqual(result.sequential.body.findings);
    }
  });

  it('enrolling a model, nominating a partner, signing off, opening a review, granting access: one success each, the rest 409', async () => {
    const developer = await newOrgAdmin('Racing Lab', 'model_developer');
    const candidate = await newOrgAdmin('Racing Grid Partner', 'operator', ['energy']);
    const model = await race(developer.token, 'POST', '/api/v1/frontier/models', {
      name: 'Racer',
      version: '1.0',
      plannedRelease: '2026-12-01',
    });
    expect(model.sequential).toMatchObject({ status: 409, body: { code: 'model-exists' } });
    expectSequentialAnswers(model, 201);
    const modelId = model.racing.find((a) => a.status === 201)!.body.id as string;

    const nomination = await race(developer.token, 'POST', `/api/v1/frontier/models/${modelId}/partners`, {
      candidateOrgId: candidate.orgId,
      rationale: 'runs the regional grid',
      vettingCompleted: true,
      incidentResponseCapacity: 'continuous',
    });
    expect(nomination.sequential).toMatchObject({ status: 409, body: { code: 'already-nominated' } });
    expectSequentialAnswers(nomination, 201);
    const nominationId = nomination.racing.find((a) => a.status === 201)!.body.id as string;

    const signOff = await race(developer.token, 'POST', `/api/v1/frontier/partners/${nominationId}/approve`, {});
    expect(signOff.sequential.status).toBe(409);
    expectSequentialAnswers(signOff, 200);

    const review = await race(developer.token, 'POST', '/api/v1/frontier/reviews', {
      modelId,
      accessStart: new Date(Date.now() + 86_400_000).toISOString(),
      days: 30,
    });
    expect(review.sequential).toMatchObject({ status: 409, body: { code: 'review-open' } });
    expectSequentialAnswers(review, 201);
    const reviewId = review.racing.find((a) => a.status === 201)!.body.id as string;

    const agency = await newOrgAdmin('Racing Agency', 'agency');
    const grant = await race(developer.token, 'POST', `/api/v1/frontier/reviews/${reviewId}/grants`, {
      granteeOrgId: agency.orgId,
      scope: 'sandbox',
      expiresAt: review.racing.find((a) => a.status === 201)!.body.windowEnd,
    });
    expect(grant.sequential).toMatchObject({ status: 409, body: { code: 'grant-exists' } });
    expectSequentialAnswers(grant, 201);
  });

  it('registering one asset name: one 201, the rest 409 asset-name-taken', async () => {
    const operator = await newOrgAdmin('Racing Water Works', 'operator');
    const result = await race(operator.token, 'POST', '/api/v1/inventory/assets', { name: 'SCADA historian', sector: 'water' });
    expect(result.sequential).toMatchObject({ status: 409, body: { code: 'asset-name-taken' } });
    expectSequentialAnswers(result, 201);
  });

  /**
   * For requests whose repeat succeeds again (an upsert of the same value, a new revision): every racing
   * answer is that success. For the others: one success and the repeat's answer for the rest.
   */
  function expectAsSequential(result: { racing: Answer[]; sequential: Answer }, success: number) {
    if (result.sequential.status !== success) return expectSequentialAnswers(result, success);
    const counts = statusCounts(result.racing);
    expect(counts, `statuses ${JSON.stringify(counts)}`).toEqual({ [success]: CONCURRENT });
    return counts;
  }

  it('changing the scoring, validation and frontier policies with identical bodies: each answer as the sequential one', async () => {
    const scoring = await call(ADMIN_TOKEN, 'GET', '/api/v1/scoring/policy');
    expect(scoring.status).toBe(200);
    expectAsSequential(
      await race(ADMIN_TOKEN, 'PUT', '/api/v1/scoring/policy', {
        policy: { ...(scoring.body.policy as object), version: 'raced-1' },
        note: 'raced',
      }),
      200,
    );

    // Each accepted change is its own version: 200 answers, 200 distinct versions.
    const validation = await race(ADMIN_TOKEN, 'PUT', '/api/v1/validation/policy', { note: 'raced' });
    expectAsSequential(validation, 200);
    expect(new Set(validation.racing.map((a) => a.body.version)).size).toBe(CONCURRENT);

    const frontier = await call(ADMIN_TOKEN, 'GET', '/api/v1/frontier/policy');
    expect(frontier.status).toBe(200);
    const { version: _v, note: _n, createdAt: _c, createdBy: _b, ...document } = frontier.body;
    const frontierChange = await race(ADMIN_TOKEN, 'PUT', '/api/v1/frontier/policy', { document, note: 'raced' });
    expectAsSequential(frontierChange, 200);
    expect(new Set(frontierChange.racing.map((a) => a.body.version)).size).toBe(CONCURRENT);
  });

  it('overriding one reporter quota and setting one feed source: identical upserts all answer 200', async () => {
    const reporter = await newOrgAdmin('Racing Reporter', 'researcher');
    const quota = await race(ADMIN_TOKEN, 'PUT', `/api/v1/validation/reporters/${reporter.orgId}/quota`, { dailyLimit: 7, note: 'raced' });
    expect(quota.sequential.status).toBe(200);
    expectAsSequential(quota, 200);

    const source = await race(ADMIN_TOKEN, 'PUT', '/api/v1/scoring/feeds/kev/source', {
      url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
      enabled: false,
      everyHours: 24,
    });
    expect(source.sequential.status).toBe(200);
    expectAsSequential(source, 200);
  });

  it('uploading identical SBOM bytes to a new asset: one 201, the rest 200 unchanged, one asset and one version', async () => {
    const operator = await newOrgAdmin('Racing Refinery', 'operator', ['energy']);
    const sbom = Buffer.from(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: [{ type: 'library', name: 'django', version: '3.2.0', purl: 'pkg:pypi/django@3.2.0' }],
      }),
    );
    const result = await race(operator.token, 'POST', '/api/v1/inventory/sboms?asset=historian', undefined, sbom);
    expect(result.sequential.status).toBe(200);
    expectSequentialAnswers(result, 201);
    const versions = new Set(result.racing.map((a) => (a.body.sbom as { id: string }).id));
    expect(versions.size).toBe(1);
  });

  it('declaring the same vendor purl scopes: all 200, one set of scopes', async () => {
    const vendor = await newOrgAdmin('Racing Scopes Vendor', 'vendor');
    const scopes = ['pkg:npm/@racing', 'pkg:pypi/racing-widget', 'pkg:npm/racing-cli'];
    const result = await race(vendor.token, 'PUT', '/api/v1/cases/vendor-scopes', { scopes });
    expect(result.sequential.status).toBe(200);
    expectAsSequential(result, 200);
    const declared = await call(vendor.token, 'GET', '/api/v1/cases/vendor-scopes');
    expect(declared.body.scopes).toEqual(result.sequential.body.scopes);
    expect((declared.body.scopes as string[]).length).toBe(3);
  });

  it('releasing one legal hold twice at once: one 200, the rest 409 hold-released as a later release answers, one audit line', async () => {
    const placed = await call(ADMIN_TOKEN, 'POST', '/api/v1/governance/holds', {
      scope: 'record',
      targetId: 'rec_racing',
      reason: 'racing',
    });
    expect(placed.status).toBe(201);
    const id = placed.body.id as string;
    const result = await race(ADMIN_TOKEN, 'POST', `/api/v1/governance/holds/${id}/release`, { note: 'lifted' });
    expect(result.sequential).toMatchObject({ status: 409, body: { code: 'hold-released' } });
    expectSequentialAnswers(result, 200);
    // Each loser names the release that won, as the later request does: none read the hold before it was released.
    for (const loser of result.racing.filter((a) => a.status === 409)) expect(loser.body.detail).toBe(result.sequential.body.detail);
    const audit = await call(ADMIN_TOKEN, 'GET', `/api/v1/audit?action=governance.hold.release&subjectId=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items as unknown[]).toHaveLength(1);
  });
});

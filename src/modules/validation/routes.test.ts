import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { HOUR } from '../../platform/clock.js';
import { MAX_EVIDENCE_BYTES } from './service/evidence.js';
import { distinctFinding, findingsDocument, reproduced } from './test-support/scene.js';

async function submit(server: TestServer, who: TestUser, findings: Record<string, unknown>[], query = '') {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1/submissions${query}`,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    payload: findingsDocument(findings),
  });
  await server.runtime.jobs.drain();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json<{ findings: { clusterId: string }[]; detail?: string; code?: string }>(),
  };
}

async function upload(server: TestServer, who: TestUser, clusterId: string, bytes: Buffer, query: string) {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1/validation/clusters/${clusterId}/evidence?${query}`,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'text/html' },
    payload: bytes,
  });
  return { status: response.statusCode, body: response.json<{ id: string; tlp: string; mediaType: string }>() };
}

describeEachDatabase('validation routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answers a flood from a low-precision reporter with 429, Retry-After and how the quota is computed; a coordinator can lift it', async () => {
    const server = get();
    const coordinator = server.coordinatorAdmin;
    const policy = await server.call(coordinator, 'PUT', '/api/v1/validation/policy', {
      quota: { minDecided: 2, highVolume: 3, lowPrecision: 0.5, dailyAtFullPrecision: 10, minDaily: 2 },
      note: 'small numbers for the test',
    });
    expect(policy.status).toBe(200);
    const flooder = await server.org('researcher');
    const first = await submit(server, flooder, [distinctFinding(), distinctFinding(), distinctFinding()]);
    expect(first.status).toBe(201);
    for (const cluster of first.body.findings.slice(0, 2)) {
      const verdict = await server.call(coordinator, 'POST', `/api/v1/validation/clusters/${cluster.clusterId}/verdict`, {
        state: 'invalid',
        reason: 'false_positive',
        note: 'no such code path',
      });
      expect(verdict.status).toBe(200);
    }
    server.clock.advance(HOUR);
    expect((await submit(server, flooder, [distinctFinding()])).status).toBe(201);
    server.clock.advance(HOUR);
    const refused = await submit(server, flooder, [distinctFinding()]);
    expect(refused.status).toBe(429);
    // The first submission leaves the rolling 24 hours 22 hours from now.
    expect(refused.headers['retry-after']).toBe(String(22 * 3600));
    expect(refused.body.code).toBe('rate-limited');
    expect(refused.body.detail).toContain('made 2 API submissions in the last 24 hours and its quota is 2');
    expect(refused.body.detail).toContain('smoothed precision 0.25 (0 valid, 2 invalid, Beta(1, 1) prior) is below 0.50');
    expect(refused.body.detail).toContain('daily quota = max(2, ⌊10 × 0.25⌋) = 2 submissions per 24 hours');
    const record = await server.call(flooder, 'GET', `/api/v1/validation/reporters/${flooder.orgId}`);
    expect(record.body).toMatchObject({ invalid: 2, quota: { dailyLimit: 2, basis: 'computed', usedLast24h: 2 } });

    expect(
      (await server.call(flooder, 'PUT', `/api/v1/validation/reporters/${flooder.orgId}/quota`, { dailyLimit: null, note: 'self-service' }))
        .status,
    ).toBe(403);
    const lifted = await server.call(coordinator, 'PUT', `/api/v1/validation/reporters/${flooder.orgId}/quota`, {
      dailyLimit: null,
      note: 'pilot partner',
    });
    expect(lifted.body).toMatchObject({ dailyLimit: null, basis: 'exempt', override: { note: 'pilot partner' } });
    expect((await submit(server, flooder, [distinctFinding()])).status).toBe(201);
    const blocked = await server.call(coordinator, 'PUT', `/api/v1/validation/reporters/${flooder.orgId}/quota`, {
      dailyLimit: 0,
      note: 'paused while we talk',
    });
    expect(blocked.body).toMatchObject({ dailyLimit: 0, basis: 'override' });
    expect((await submit(server, flooder, [distinctFinding()])).status).toBe(429);
    const cleared = await server.call(coordinator, 'DELETE', `/api/v1/validation/reporters/${flooder.orgId}/quota`);
    expect(cleared.body).toMatchObject({ dailyLimit: 2, basis: 'computed' });
    const audit = await server.call(coordinator, 'GET', '/api/v1/audit?action=validation.quota.override');
    expect((audit.body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('keeps each party to what it may see and do, on every route', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const agency = await server.org('agency');
    const stranger = await server.org('vendor');
    const coordinator = server.coordinatorAdmin;
    const [finding] = (await submit(server, lab, [distinctFinding()], `?recipientOrgs=${agency.orgId}`)).body.findings;
    const cluster = finding!.clusterId;
    const labEvidence = await upload(
      server,
      lab,
      cluster,
      Buffer.from('<script>alert(1)</script>'),
      'filename=poc.html&kind=proof_of_concept',
    );
    expect(labEvidence).toMatchObject({ status: 201, body: { tlp: 'RED', mediaType: 'text/html' } });
    const claim = await server.call(agency, 'POST', '/api/v1/validation/jobs/claim');
    const jobId = (claim.body as { job: { id: string } }).job.id;
    expect(claim.body).toMatchObject({
      job: { clusterId: cluster },
      cluster: { id: cluster, findings: [expect.objectContaining({ reporterOrgId: lab.orgId })] },
    });
    const outcome = await server.call(agency, 'POST', `/api/v1/validation/jobs/${jobId}/report`, reproduced());
    expect(outcome.body).toMatchObject({ state: 'valid', jobCompleted: true });
    const attemptId = (outcome.body as { attempt: { id: string } }).attempt.id;
    const agencyEvidence = await upload(
      server,
      agency,
      cluster,
      Buffer.from('ASAN: heap-buffer-overflow'),
      `filename=asan.log&kind=log&attemptId=${attemptId}`,
    );
    expect(agencyEvidence.status).toBe(201);

    const status = async (who: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      (await server.call(who, method, url, body)).status;
    const view = `/api/v1/validation/clusters/${cluster}`;
    // The stranger sees nothing of the cluster, its evidence or its job.
    for (const [method, url, body] of [
      ['GET', view],
      ['GET', `${view}/evidence`],
      ['POST', `${view}/verdict`, { state: 'closed' }],
      ['POST', `${view}/attempts`, reproduced()],
      ['GET', `/api/v1/validation/evidence/${labEvidence.body.id}`],
      ['GET', `/api/v1/validation/evidence/${agencyEvidence.body.id}/content`],
      ['GET', `/api/v1/validation/reporters/${lab.orgId}`],
    ] as const) {
      expect(await status(stranger, method, url, body), `${method} ${url}`).toBe(404);
      expect(await status(null, method, url, body), `${method} ${url}`).toBe(401);
    }
    expect((await upload(server, stranger, cluster, Buffer.from('x'), 'filename=x.txt')).status).toBe(404);
    for (const who of [stranger, lab, agency]) {
      expect(await status(who, 'GET', '/api/v1/validation/queue')).toBe(403);
      // The lab sees its own organisation (403); to the others it does not exist (404).
      const quota = who === lab ? 403 : 404;
      expect(await status(who, 'PUT', `/api/v1/validation/reporters/${lab.orgId}/quota`, { dailyLimit: 1, note: 'x' })).toBe(quota);
      expect(await status(who, 'DELETE', `/api/v1/validation/reporters/${lab.orgId}/quota`)).toBe(quota);
      expect(await status(who, 'PUT', '/api/v1/validation/policy', { leaseHours: 1 })).toBe(403);
      expect(await status(who, 'GET', '/api/v1/validation/policy')).toBe(200);
    }
    expect(await status(coordinator, 'GET', '/api/v1/validation/queue')).toBe(200);
    expect(await status(stranger, 'POST', '/api/v1/validation/jobs/claim')).toBe(403);
    expect(await status(stranger, 'POST', `/api/v1/validation/jobs/${jobId}/report`, reproduced())).toBe(404);
    // A job on a cluster the stranger may not see does not exist for it, whichever call names it.
    expect(await status(stranger, 'POST', `/api/v1/validation/jobs/${jobId}/release`)).toBe(404);
    expect(await status(stranger, 'GET', '/api/v1/validation/jobs')).toBe(403);
    expect(await status(lab, 'POST', `/api/v1/validation/jobs/${jobId}/release`)).toBe(409);
    expect(await status(lab, 'POST', `${view}/verdict`, { state: 'accepted' })).toBe(403);

    // The reporter reads the verdict on its report, not the validator's attempt or evidence.
    const labView = (await server.call(lab, 'GET', view)).body as { state: string; attempts: unknown[]; evidence: { id: string }[] };
    expect(labView.state).toBe('valid');
    expect(labView.attempts).toEqual([]);
    expect(labView.evidence.map((e) => e.id)).toEqual([labEvidence.body.id]);
    expect(await status(lab, 'GET', `/api/v1/validation/evidence/${agencyEvidence.body.id}`)).toBe(404);
    expect(
      ((await server.call(lab, 'GET', '/api/v1/validation/my-reports')).body as { items: { clusterId: string; state: string }[] }).items,
    ).toEqual([expect.objectContaining({ clusterId: cluster, state: 'valid' })]);
    // The validator sees its own attempt and evidence, not the reporter's TLP:RED proof of concept.
    const agencyView = (await server.call(agency, 'GET', view)).body as { attempts: { id: string }[]; evidence: { id: string }[] };
    expect(agencyView.attempts.map((a) => a.id)).toEqual([attemptId]);
    expect(agencyView.evidence.map((e) => e.id)).toEqual([agencyEvidence.body.id]);
    // TLP:RED reaches named people only, and the coordinator's analysts and admins, who read every record.
    expect(await status(coordinator, 'GET', `/api/v1/validation/evidence/${labEvidence.body.id}`)).toBe(200);
    expect(((await server.call(coordinator, 'GET', view)).body as { attempts: unknown[] }).attempts).toHaveLength(1);
    expect(((await server.call(stranger, 'GET', '/api/v1/validation/my-reports')).body as { items: unknown[] }).items).toEqual([]);
    expect(((await server.call(stranger, 'GET', '/api/v1/validation/reporters')).body as { items: unknown[] }).items).toEqual([]);
    expect(
      ((await server.call(lab, 'GET', '/api/v1/validation/reporters')).body as { items: { orgId: string }[] }).items.map((r) => r.orgId),
    ).toEqual([lab.orgId]);
  });

  it('serves evidence only as an attachment of octet-stream, never inline, and refuses files over the limit', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const agency = await server.org('agency');
    const [finding] = (await submit(server, lab, [distinctFinding()])).body.findings;
    const evidence = await upload(
      server,
      lab,
      finding!.clusterId,
      Buffer.from('<html><script>alert(1)</script></html>'),
      `filename=${encodeURIComponent('../poc page.html')}&tlp=AMBER&recipientOrgs=${agency.orgId}`,
    );
    expect(evidence.status).toBe(201);
    const response = await server.app.inject({
      method: 'GET',
      url: `/api/v1/validation/evidence/${evidence.body.id}/content`,
      headers: { authorization: `Bearer ${agency.token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="poc_page.html"; filename*=UTF-8''poc%20page.html`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe('<html><script>alert(1)</script></html>');
    const tooBig = await upload(server, lab, finding!.clusterId, Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x41), 'filename=big.bin');
    expect(tooBig.status).toBe(413);
    const empty = await upload(server, lab, finding!.clusterId, Buffer.alloc(0), 'filename=empty.bin');
    expect(empty.status).toBe(400);
  });

  it('answers an illegal transition with 409 problem+json naming the states', async () => {
    const server = get();
    const lab = await server.org('model_developer');
    const [finding] = (await submit(server, lab, [distinctFinding()])).body.findings;
    const url = `/api/v1/validation/clusters/${finding!.clusterId}/verdict`;
    const response = await server.call(server.coordinatorAdmin, 'POST', url, { state: 'accepted' });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.problem).toMatchObject({
      code: 'illegal-transition',
      detail: `cluster ${finding!.clusterId} is received and cannot become accepted: it may move to valid, invalid, closed`,
    });
    const bad = await server.call(server.coordinatorAdmin, 'POST', url, { state: 'invalid', reason: 'boring' });
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.map((e) => e.pointer)).toEqual(['/body/reason']);
  });
});

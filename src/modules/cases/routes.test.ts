import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { acceptedCluster } from './test-support/cases.js';

describeEachDatabase('cases routes', (dialect) => {
  const get = useTestServer(dialect);

  it('answer 400 problem+json naming /role when a non-coordinator organisation is added as coordinator', async () => {
    const t = get();
    const researcher = await t.org('researcher');
    const vendor = await t.org('vendor');
    const clusterId = await acceptedCluster(t, researcher);
    const opened = (await t.call(t.coordinatorAdmin, 'POST', '/api/v1/cases', { clusterIds: [clusterId] })).body as { id: string };
    const refused = await t.call(t.coordinatorAdmin, 'POST', `/api/v1/cases/${opened.id}/participants`, {
      orgId: vendor.orgId,
      role: 'coordinator',
    });
    expect(refused.status).toBe(400);
    expect(String(refused.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(refused.problem.errors).toEqual([{ pointer: '/role', detail: 'coordinator needs a coordinator organisation' }]);
    expect((await t.call(vendor, 'GET', `/api/v1/cases/${opened.id}`)).status).toBe(404);
  });

  it('answers 409 cluster-in-case naming the cluster and the case that coordinates it (extension members)', async () => {
    const t = get();
    const clusterId = await acceptedCluster(t, await t.org('researcher'));
    const opened = await t.call(t.coordinatorAdmin, 'POST', '/api/v1/cases', { clusterIds: [clusterId] });
    expect(opened.status).toBe(201);
    const again = await t.call(t.coordinatorAdmin, 'POST', '/api/v1/cases', { clusterIds: [clusterId] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'cluster-in-case', clusterId, caseNumber: (opened.body as { number: string }).number });
  });
});

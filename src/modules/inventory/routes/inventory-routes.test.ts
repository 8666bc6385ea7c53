import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import type { TestUser } from '#test-support/runtime.js';
import { sha256Hex } from '../../../platform/hash.js';
import { cycloneDx, cycloneDxXml, osvRecord, pypi, spdxTagValue } from '../test-support/fixtures.js';

async function upload(server: TestServer, who: TestUser, url: string, body: string | Buffer, contentType = 'application/json') {
  const response = await server.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${who.token}`, 'content-type': contentType },
    payload: body,
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

const django = osvRecord('PYSEC-100', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '3.2.1' }], { aliases: ['CVE-2026-0100'] });

describeEachDatabase('inventory routes', (dialect) => {
  const get = useTestServer(dialect);

  it('uploads SBOMs in every serialization, byte for byte, and refuses what is not one', async () => {
    const server = get();
    const op = await server.org('operator', { sectors: ['energy'] });
    const url = '/api/v1/inventory/sboms?asset=Turbine%20control&criticality=high&internetFacing=true';
    const document = cycloneDx([pypi('django', '3.1.0')]);
    const json = await upload(server, op, url, document);
    expect(json.status).toBe(201);
    expect((json.body.sbom as { sha256: string }).sha256).toBe(sha256Hex(document));
    expect(json.body).toMatchObject({
      created: true,
      asset: { name: 'Turbine control', sector: 'energy', criticality: 'high', internetFacing: true },
      sbom: { version: 1 },
    });
    const assetId = (json.body.asset as { id: string }).id;
    expect((await upload(server, op, url, cycloneDx([pypi('django', '3.1.0')]))).status).toBe(200);
    expect(
      (await upload(server, op, `/api/v1/inventory/assets/${assetId}/sboms`, cycloneDxXml([pypi('django', '3.2.0')]), 'application/xml'))
        .body,
    ).toMatchObject({ sbom: { version: 2, serialization: 'xml' } });
    expect(
      (
        await upload(
          server,
          op,
          `/api/v1/inventory/assets/${assetId}/sboms`,
          spdxTagValue([pypi('django', '3.2.1')]),
          'text/plain; charset=utf-8',
        )
      ).body,
    ).toMatchObject({
      sbom: { version: 3, format: 'SPDX', serialization: 'tag-value' },
    });

    const csaf = await upload(server, op, url, JSON.stringify({ document: { csaf_version: '2.0' } }));
    expect(csaf.status).toBe(415);
    expect(csaf.body.detail).toMatch(/^CSAF document: not an SBOM/);
    const broken = await upload(server, op, url, '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"name": 7}]}');
    expect(broken).toMatchObject({ status: 400, body: { code: 'sbom-malformed' } });
    expect((await upload(server, op, url, Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).status).toBe(415);
    expect((await upload(server, op, '/api/v1/inventory/sboms', cycloneDx([]))).body).toMatchObject({ code: 'invalid-input' });
    const versions = await server.call(op, 'GET', `/api/v1/inventory/assets/${assetId}/sboms`);
    expect((versions.body as { items: unknown[] }).items).toHaveLength(3);
  });

  it.runIf(dialect === 'sqlite')('answers 413 past the SBOM size limit', async () => {
    const server = get();
    const op = await server.org('operator');
    const huge = Buffer.alloc(64 * 1024 * 1024 + 1, 0x20);
    expect((await upload(server, op, '/api/v1/inventory/sboms?asset=big', huge)).status).toBe(413);
  });

  it("keeps every operator's inventory and exposure to itself on every route", async () => {
    const server = get();
    const { call, org, coordinatorAdmin, runtime } = server;
    const a = await org('operator', { sectors: ['water'] });
    const b = await org('operator', { sectors: ['water'] });
    expect((await call(coordinatorAdmin, 'POST', '/api/v1/inventory/advisories', { record: django, tlp: 'GREEN' })).status).toBe(201);
    const uploaded = await upload(server, a, '/api/v1/inventory/sboms?asset=Pump%20station', cycloneDx([pypi('django', '3.1.0')]));
    const assetId = (uploaded.body.asset as { id: string }).id;
    const sbomId = (uploaded.body.sbom as { id: string }).id;
    await upload(server, b, '/api/v1/inventory/sboms?asset=Own', cycloneDx([pypi('django', '3.2.1')]));
    await runtime.jobs.drain();

    // B: every read and write of A's inventory answers 404; lists leave it out.
    for (const url of [
      `/api/v1/inventory/assets/${assetId}`,
      `/api/v1/inventory/assets/${assetId}/sboms`,
      `/api/v1/inventory/sboms/${sbomId}`,
      `/api/v1/inventory/sboms/${sbomId}/components`,
      `/api/v1/inventory/sboms/${sbomId}/matches`,
      `/api/v1/inventory/exposure?orgId=${a.orgId}`,
    ]) {
      expect([url, (await call(b, 'GET', url)).status]).toEqual([url, 404]);
    }
    expect((await call(b, 'PATCH', `/api/v1/inventory/assets/${assetId}`, { criticality: 'low' })).status).toBe(404);
    expect((await upload(server, b, `/api/v1/inventory/assets/${assetId}/sboms`, cycloneDx([pypi('x', '1')]))).status).toBe(404);
    expect(
      (await upload(server, b, `/api/v1/inventory/sboms?asset=Pump%20station&orgId=${a.orgId}`, cycloneDx([pypi('x', '1')]))).status,
    ).toBe(404);
    expect((await call(b, 'POST', '/api/v1/inventory/assets', { name: 'Sneaky', orgId: a.orgId })).status).toBe(404);
    const bAssets = (await call(b, 'GET', '/api/v1/inventory/assets')).body as { items: { id: string }[] };
    expect(bAssets.items.map((x) => x.id)).not.toContain(assetId);
    expect(((await call(b, 'GET', `/api/v1/inventory/assets?orgId=${a.orgId}`)).body as { items: unknown[] }).items).toEqual([]);
    const bExposure = (await call(b, 'GET', '/api/v1/inventory/exposure')).body as { orgId: string; items: unknown[] };
    expect(bExposure).toMatchObject({ orgId: b.orgId, items: [] });
    // Cross-operator views are the coordinator's: not even the count leaks.
    expect((await call(b, 'GET', '/api/v1/inventory/advisories/PYSEC-100/affected')).status).toBe(403);
    expect((await call(b, 'GET', '/api/v1/inventory/advisories/CVE-2026-0100/exposure')).status).toBe(403);

    // A sees its own; the coordinator sees A's, and the advisory's reach.
    const aExposure = (await call(a, 'GET', '/api/v1/inventory/exposure')).body as {
      totals: { advisories: number };
      items: { advisory: { id: string } }[];
    };
    expect(aExposure.totals.advisories).toBe(1);
    expect(aExposure.items.map((i) => i.advisory.id)).toEqual(['PYSEC-100']);
    expect((await call(a, 'GET', `/api/v1/inventory/sboms/${sbomId}/matches`)).body).toMatchObject({
      items: [{ purl: 'pkg:pypi/django@3.1.0', fixed: ['3.2.1'], confidence: 'exact' }],
    });
    expect((await call(coordinatorAdmin, 'GET', `/api/v1/inventory/exposure?orgId=${a.orgId}`)).status).toBe(200);
    const affected = (await call(coordinatorAdmin, 'GET', '/api/v1/inventory/advisories/CVE-2026-0100/affected')).body as {
      items: { orgId: string }[];
    };
    expect(affected.items.map((i) => i.orgId)).toEqual([a.orgId]);
    const exposure = (await call(coordinatorAdmin, 'GET', '/api/v1/inventory/advisories/PYSEC-100/exposure')).body;
    expect(exposure).toMatchObject({ known: true, operators: 1, assets: 1, sectors: [{ sector: 'water', operators: 1, assets: 1 }] });
  });

  it('loads advisories over the API for coordinators only, and lists them within TLP', async () => {
    const { call, org, coordinatorAdmin } = get();
    const op = await org('operator');
    expect((await call(op, 'POST', '/api/v1/inventory/advisories', { record: django, tlp: 'CLEAR' })).status).toBe(403);
    const bad = await call(coordinatorAdmin, 'POST', '/api/v1/inventory/advisories', {
      record: { id: 'X', affected: [{ ranges: [{ type: 'SEMVER', events: [{}] }] }] },
      tlp: 'CLEAR',
    });
    expect(bad).toMatchObject({ status: 400, problem: { code: 'invalid-osv', errors: [{ pointer: '/affected/0/ranges/0/events/0' }] } });
    // A record matching could read but the OSV schema refuses (no "modified"): refused, never stored or matched.
    const { modified: _, ...noModified } = django;
    const invalid = await call(coordinatorAdmin, 'POST', '/api/v1/inventory/advisories', { record: noModified, tlp: 'CLEAR' });
    expect(invalid).toMatchObject({
      status: 400,
      problem: { code: 'invalid-osv', errors: [{ pointer: '', detail: expect.stringContaining("required property 'modified'") }] },
    });
    expect((await call(coordinatorAdmin, 'GET', `/api/v1/inventory/advisories/${noModified.id}`)).status).toBe(404);
    expect((await call(coordinatorAdmin, 'POST', '/api/v1/inventory/advisories', { record: django, tlp: 'AMBER' })).status).toBe(201);
    expect((await call(coordinatorAdmin, 'POST', '/api/v1/inventory/advisories', { record: django, tlp: 'AMBER' })).body).toMatchObject({
      outcome: 'unchanged',
    });
    expect((await call(op, 'GET', '/api/v1/inventory/advisories/PYSEC-100')).status).toBe(404);
    expect(((await call(op, 'GET', '/api/v1/inventory/advisories')).body as { items: unknown[] }).items).toEqual([]);
    const listed = (await call(coordinatorAdmin, 'GET', '/api/v1/inventory/advisories?alias=CVE-2026-0100')).body as {
      items: { id: string; affected: unknown[] }[];
    };
    expect(listed.items.map((a) => a.id)).toEqual(['PYSEC-100']);
    expect(listed.items[0]?.affected).toEqual(django.affected);
  });
});

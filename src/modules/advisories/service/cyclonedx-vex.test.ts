import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { NotFoundError } from '../../../platform/errors.js';
import { moveEmbargo } from '../../cases/index.js';
import { validateCycloneDxJson } from '../../inventory/index.js';
import { embargoedCase, testProviderSettings } from '../test-support/case-scene.js';
import { generateAdvisory, publishAdvisory } from './advisories.js';
import { advisoryCycloneDxVex } from './cyclonedx-vex.js';
import { tempDirForTest } from '#test-support/temp-dir.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WIDGET = 'pkg:npm/%40acme/widget@2.4.0';
const WIDGET_FIXED = 'pkg:npm/%40acme/widget@2.4.1';

/** Which products (by purl, or name and version) each analysis of the VEX names. */
function analyses(bom: Json): Json[] {
  const components = new Map<string, Json>((bom['components'] as Json[]).map((c) => [c['bom-ref'], c]));
  return (bom['vulnerabilities'] as Json[]).flatMap((v) =>
    (v['affects'] as Json[]).map((a) => {
      const c = components.get(a['ref'])!;
      return { id: v['id'], product: c['purl'] ?? `${c['name']} ${c['version']}`, ...v['analysis'] };
    }),
  );
}

describeEachDatabase('CycloneDX VEX of an advisory', (dialect) => {
  const get = useTestServer(dialect);

  it('says per product what the CSAF document the reader reads says, valid CycloneDX 1.6, hidden where the document is', async () => {
    const t = get();
    const settings = testProviderSettings();
    const scene = await embargoedCase(t, 'CVE-2026-4343');
    const coordinator = t.as(t.coordinatorAdmin);
    const draft = await generateAdvisory(coordinator, scene.opened.id, { category: 'csaf_vex' }, settings);

    const drafted = JSON.parse(
      (await advisoryCycloneDxVex(t.as(scene.globex), draft.id, { kind: 'draft' })).bytes.toString('utf8'),
    ) as Json;
    expect(validateCycloneDxJson(drafted, '1.6')).toEqual([]);
    expect(drafted).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(drafted['serialNumber']).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(drafted['metadata']['properties']).toContainEqual({ name: 'clearinghouse:tlp', value: 'AMBER' });
    // ACME fixed the widget in 2.4.1 (2.4.0 is affected, with an update as the response); Globex's gadget never had the code.
    expect(analyses(drafted)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'CVE-2026-4343', product: WIDGET, state: 'exploitable', response: ['update'] }),
        expect.objectContaining({ id: 'CVE-2026-4343', product: WIDGET_FIXED, state: 'resolved' }),
        {
          id: 'CVE-2026-4343',
          product: 'gadget 3.1',
          state: 'not_affected',
          justification: 'code_not_present',
          detail: 'Gadget does not extract archives.',
        },
      ]),
    );
    expect(analyses(drafted)).toHaveLength(3);
    const affected = (drafted['vulnerabilities'] as Json[]).find((v) => v['analysis']['state'] === 'exploitable')!;
    expect(affected['cwes']).toEqual([22]);
    expect(affected['ratings'][0]).toMatchObject({ score: 8.1, severity: 'high', method: 'CVSSv31' });
    expect(affected['recommendation']).toContain('https://acme.example/widget/2.4.1');

    // Nobody outside the case learns of the draft; nothing is published yet.
    await expect(advisoryCycloneDxVex(t.as(scene.outsider), draft.id, { kind: 'draft' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(advisoryCycloneDxVex(t.as(scene.outsider), draft.id, { kind: 'published' })).rejects.toBeInstanceOf(NotFoundError);

    await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
    await publishAdvisory(coordinator, draft.id, settings);
    const first = await advisoryCycloneDxVex(t.as(scene.outsider), draft.id, { kind: 'published' });
    const published = JSON.parse(first.bytes.toString('utf8')) as Json;
    expect(validateCycloneDxJson(published, '1.6')).toEqual([]);
    expect(published['metadata']['properties']).toContainEqual({ name: 'clearinghouse:tlp', value: 'CLEAR' });
    expect(published['serialNumber']).not.toBe(drafted['serialNumber']);
    // The same revision is the same BOM, byte for byte.
    expect((await advisoryCycloneDxVex(t.as(scene.acme), draft.id, { kind: 'published', revision: 1 })).bytes.equals(first.bytes)).toBe(
      true,
    );

    // Over HTTP with its media type, and downloaded by the CLI through --url.
    const answer = await t.call(scene.outsider, 'GET', `/api/v1/advisories/${draft.id}/vex.cdx.json`);
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toMatch(/^application\/vnd\.cyclonedx\+json; ?version=1\.6/);
    expect((await t.call(scene.outsider, 'GET', `/api/v1/advisories/${draft.id}/vex.cdx.json?draft=true`)).status).toBe(404);
    const app = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const out = path.join(tempDirForTest('vex-'), 'advisory.cdx.json');
    const downloaded = await cli({}, 'advisory', 'vex', draft.id, '--out', out, '--url', app, '--token', scene.outsider.token);
    expect(downloaded.code).toBe(0);
    expect(readFileSync(out).equals(first.bytes)).toBe(true);
    // A case, its CSAF generation, validation and signing, a server and a CLI process: as long as publication.test.ts.
  }, 180_000);
});

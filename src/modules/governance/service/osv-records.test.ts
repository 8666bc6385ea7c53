import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { generateAdvisory, publishAdvisory } from '../../advisories/index.js';
import { embargoedCase, testProviderSettings } from '../../advisories/test-support/case-scene.js';
import { moveEmbargo } from '../../cases/index.js';
import { exportShared } from './exports.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const addFormats = ajvFormats.default.default;

describeWithData('OSV export of published advisories', 'osv/osv-schema/validation/schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(sharedData('osv/osv-schema/validation/schema.json'), 'utf8')) as object);

  describeEachDatabase('export osv', (dialect) => {
    const get = useTestServer(dialect);

    it('holds one valid OSV record per vulnerability of each published advisory the recipient reads, never a draft', async () => {
      const t = get();
      const settings = testProviderSettings();
      const scene = await embargoedCase(t, 'CVE-2026-4343');
      const coordinator = t.as(t.coordinatorAdmin);
      const draft = await generateAdvisory(coordinator, scene.opened.id, {}, settings);

      // Under embargo the draft is the participants' to read, and still nobody's OSV.
      const before = await exportShared(t.as(scene.acme), { format: 'osv' });
      expect(JSON.parse(before.body)).toEqual([]);

      await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
      await publishAdvisory(coordinator, draft.id, settings);
      const file = await exportShared(coordinator, { format: 'osv', recipientOrgId: scene.outsider.orgId });
      expect(file.mediaType).toBe('application/json');
      expect(file.counts).toMatchObject({ CLEAR: 1, GREEN: 0, AMBER: 0, RED: 0 });
      const records = JSON.parse(file.body) as Json[];
      expect(records).toHaveLength(1);
      const record = records[0]!;
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
      expect(record).toMatchObject({ id: `x_${draft.trackingId}`, aliases: ['CVE-2026-4343'], database_specific: { cwe_ids: ['CWE-22'] } });
      // ACME stated 2.4.0 affected and shipped 2.4.1; Globex's gadget has no package URL, so no OSV package.
      expect(record['affected']).toEqual([
        {
          package: { ecosystem: 'npm', name: '@acme/widget', purl: 'pkg:npm/%40acme/widget' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.4.0' }, { fixed: '2.4.1' }] }],
          versions: ['2.4.0'],
        },
      ]);
      expect(record['severity']).toEqual([{ type: 'CVSS_V3', score: expect.stringMatching(/^CVSS:3\.1\//) }]);
      expect(record['references'][0]).toMatchObject({ type: 'ADVISORY' });

      // The same through the API and the CLI, for the caller itself.
      const answer = await t.call(scene.outsider, 'GET', '/api/v1/governance/exports/osv');
      expect(answer.status).toBe(200);
      expect((answer.body as Json[]).map((r) => r['id'])).toEqual([record['id']]);
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const out = await cli({}, 'export', 'osv', '--for', scene.outsider.orgId, '--url', url, '--token', t.coordinatorAdmin.token);
      expect(out.code).toBe(0);
      expect((JSON.parse(out.stdout) as Json[]).map((r) => r['id'])).toEqual([record['id']]);
      // A case, its CSAF generation, validation and signing, a server and a CLI process: as long as publication.test.ts.
    }, 180_000);
  });
});

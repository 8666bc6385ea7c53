import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildServer } from '../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { moveEmbargo } from '../cases/index.js';
import { csafProblems } from './domain/csaf-validation.js';
import type { AdvisoryDetail } from './presenters.js';
import { embargoedCase } from './test-support/case-scene.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describeEachDatabase('clearinghouse advisory', (dialect) => {
  const get = useTestRuntime(dialect);

  it('drafts, publishes, lists, shows and downloads on the local database and over --url with the same answers', async () => {
    const t = get();
    const scene = await embargoedCase(t);
    const local = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const coordinator = ['--url', url, '--token', t.coordinatorAdmin.token];
      const vendor = ['--url', url, '--token', scene.acme.token];
      const outsider = ['--url', url, '--token', scene.outsider.token];

      // A CVE id from the coordinator's CNA block, assigned from the command line, is what the advisory names.
      expect((await cli(local, 'cases', 'cve', 'block', 'CVE-2026-50000', 'CVE-2026-50009')).code).toBe(0);
      const reserved = await cli({}, 'cases', 'cve', 'reserve', ...coordinator);
      expect(reserved.stdout).toMatch(/CVE-2026-50000\s+reserved/);
      const assigned = await cli(local, 'cases', 'cve', 'assign', 'CVE-2026-50000', scene.opened.number, '--cluster', scene.clusterId);
      expect(assigned.stdout).toMatch(/CVE-2026-50000\s+assigned/);
      expect((await cli({}, 'cases', 'cve', 'reserve', ...vendor)).code).toBe(1);

      const drafted = await cli(local, 'advisory', 'draft', scene.opened.number, '--json');
      expect(drafted.code).toBe(0);
      const draft = drafted.json<AdvisoryDetail>();
      expect(draft).toMatchObject({ status: 'draft', tlp: 'AMBER', trackingId: scene.opened.number });

      const refused = await cli({}, 'advisory', 'publish', draft.trackingId, ...coordinator);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/under embargo \(active\)/);
      const badTlp = await cli({}, 'advisory', 'draft', scene.opened.number, '--tlp', 'CLEAR', ...coordinator);
      expect(badTlp.code).toBe(2);
      expect(badTlp.stderr).toMatch(/\/tlp/);

      // The vendor reads the draft; a vendor taking no part learns nothing.
      const vendorDraft = await cli({}, 'advisory', 'download', draft.trackingId, '--draft', ...vendor);
      expect(vendorDraft.code).toBe(0);
      expect(await csafProblems(JSON.parse(vendorDraft.stdout) as object)).toEqual([]);
      expect((await cli({}, 'advisory', 'show', draft.trackingId, ...outsider)).code).toBe(1);
      const records = await cli({}, 'advisory', 'cve-records', draft.trackingId, '--draft', ...vendor, '--json');
      expect(records.json<{ items: { cveId: string }[] }>().items.map((r) => r.cveId)).toEqual(['CVE-2026-50000']);
      const outsiderList = await cli({}, 'advisory', 'list', ...outsider, '--json');
      expect(outsiderList.json<{ items: unknown[] }>().items).toEqual([]);

      await moveEmbargo(t.as(t.coordinatorAdmin), scene.opened.id, { action: 'end', reason: 'published' });
      const published = await cli({}, 'advisory', 'publish', draft.trackingId, ...coordinator);
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(/published .* at \/\.well-known\/csaf\/white\/2026\//);

      const list = await cli(local, 'advisory', 'list', '--status', 'published');
      expect(list.stdout).toMatch(new RegExp(`${draft.trackingId}\\s+published\\s+CLEAR\\s+1`));
      const revisions = (await cli({}, 'advisory', 'revisions', draft.trackingId, ...outsider, '--json')).json<{ sha256: string }[]>();
      expect(revisions).toHaveLength(1);

      // Downloaded byte for byte as signed: remotely, locally to a file, and by revision number.
      const remote = await cli({}, 'advisory', 'download', draft.trackingId, ...outsider);
      expect(sha256(remote.stdout)).toBe(revisions[0]!.sha256);
      const file = path.join(t.database.dir, 'advisory.json');
      const written = await cli(local, 'advisory', 'download', draft.id, '--revision', '1', '--out', file);
      expect(written.code).toBe(0);
      expect(sha256(readFileSync(file))).toBe(revisions[0]!.sha256);
      expect((await cli({}, 'advisory', 'download', draft.id, '--revision', '2', ...outsider)).code).toBe(1);
      const both = await cli(local, 'advisory', 'download', draft.id, '--draft', '--revision', '1');
      expect(both.code).toBe(2);
      expect((await cli(local, 'advisory', 'list', '--status', 'final')).code).toBe(2);
    } finally {
      await app.close();
    }
  });
});

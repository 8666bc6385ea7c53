import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import type { HttpApp } from '../src/platform/http/index.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';

/** Issue 13: commands that were local only (audit verify) or had no CLI (evidence upload) work through the API. */
describeEachDatabase('audit verify and evidence upload through the API', (dialect) => {
  const get = useTestRuntime(dialect);
  let app: HttpApp;
  let url: string;
  let dir: string;
  beforeEach(async () => {
    app = await buildServer(get().runtime);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(path.join(tmpdir(), 'remote-cmd-'));
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the audit chain for a coordinator admin, and refuses anyone else', async () => {
    const t = get();
    await t.org('vendor');
    const ok = await cli({}, 'audit', 'verify', '--url', url, '--token', t.coordinatorAdmin.token, '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, count: expect.any(Number) });
    expect(ok.json<{ count: number }>().count).toBeGreaterThan(0);
    const analyst = await t.user(t.coordinatorAdmin.orgId, 'analyst');
    const refused = await cli({}, 'audit', 'verify', '--url', url, '--token', analyst.token);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/audit\.chain\.verify/);
  });

  it('uploads evidence to a cluster, shared with a named user at TLP:RED', async () => {
    const t = get();
    const researcher = await t.org('researcher', { name: 'Harbor Security Research' });
    const answer = await submitDocument(t.as(researcher), {
      bytes: nativeDocument([nativeFinding({ title: 'Heap overflow' })]),
      tlp: 'AMBER',
    });
    const clusterId = answer.findings[0]?.clusterId ?? '';
    const vendor = await t.org('vendor');
    const poc = path.join(dir, 'poc.py');
    writeFileSync(poc, 'print("overflow")\n');
    const uploaded = await cli(
      {},
      'validate',
      'evidence',
      clusterId,
      poc,
      '--kind',
      'proof_of_concept',
      '--recipient-user',
      vendor.userId,
      '--url',
      url,
      '--token',
      researcher.token,
      '--json',
    );
    expect(uploaded.code).toBe(0);
    expect(uploaded.json()).toMatchObject({ clusterId, filename: 'poc.py', kind: 'proof_of_concept', tlp: 'RED', size: 18 });
    const human = await cli({}, 'validate', 'evidence', clusterId, poc, '--url', url, '--token', researcher.token);
    expect(human.stdout).toMatch(/^attached poc\.py \(evd_\w+, 18 bytes, TLP:RED\) to cluster /);
    const bad = await cli({}, 'validate', 'evidence', clusterId, poc, '--kind', 'rumour', '--url', url, '--token', researcher.token);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/kind/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer, type TestServer } from '#test-support/http.js';
import { moveEmbargo } from '../cases/index.js';
import { csafProblems } from './domain/csaf-validation.js';
import { verifyDetached } from './domain/openpgp-signing.js';
import { embargoedCase } from './test-support/case-scene.js';
import { tempDirForTest } from '#test-support/temp-dir.js';

const PUBLIC_URL = 'https://csaf.clearinghouse.test';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Raw GET through the server, as a downloader sees it: status, headers, bytes. */
async function raw(s: TestServer, url: string, token: string | null = null) {
  const response = await s.app.inject({
    method: 'GET',
    url: url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.statusCode, headers: response.headers, bytes: response.rawPayload, text: response.body };
}

const gpg = spawnSync('which', ['gpg']).status === 0 ? 'gpg' : null;

describeEachDatabase('the CSAF provider', (dialect) => {
  const get = useTestServer(dialect, { CLEARINGHOUSE_PUBLIC_URL: PUBLIC_URL });

  it('serves drafts at TLP:AMBER to the case participants only, and the published document at TLP:WHITE to anyone', async () => {
    const s = get();
    const scene = await embargoedCase(s);
    expect((await s.call(null, 'POST', '/api/v1/advisories', { caseId: scene.opened.id })).status).toBe(401);
    expect((await s.call(scene.acme, 'POST', '/api/v1/advisories', { caseId: scene.opened.id })).status).toBe(403);
    const badTlp = await s.call(s.coordinatorAdmin, 'POST', '/api/v1/advisories', { caseId: scene.opened.id, tlp: 'CLEAR' });
    expect(badTlp.status).toBe(400);
    expect(badTlp.headers['content-type']).toContain('application/problem+json');
    const huge = await s.call(s.coordinatorAdmin, 'POST', '/api/v1/advisories', { caseId: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    const generated = await s.call(s.coordinatorAdmin, 'POST', '/api/v1/advisories', { caseId: scene.opened.number });
    expect(generated.status).toBe(200);
    const advisory = generated.body as Json;
    expect(advisory).toMatchObject({ status: 'draft', tlp: 'AMBER', trackingId: scene.opened.number });
    expect(((await s.call(scene.outsider, 'GET', '/api/v1/advisories')).body as Json)['items']).toEqual([]);
    expect((await s.call(scene.outsider, 'GET', `/api/v1/advisories/${advisory['id']}`)).status).toBe(404);
    expect(((await s.call(scene.globex, 'GET', '/api/v1/advisories?limit=1')).body as Json)['items']).toHaveLength(1);

    const fileName = `${scene.opened.number.toLowerCase()}.json`;
    const amberPath = `/.well-known/csaf/amber/2026/${fileName}`;
    expect((await raw(s, '/.well-known/csaf/amber/index.txt')).status).toBe(404);
    expect((await raw(s, amberPath)).status).toBe(404);
    expect((await raw(s, '/.well-known/csaf/feed-tlp-amber.json')).status).toBe(404);
    expect((await raw(s, amberPath, scene.outsider.token)).status).toBe(404);
    expect((await raw(s, '/.well-known/csaf/amber/index.txt', scene.outsider.token)).text).toBe('');
    expect((await raw(s, '/.well-known/csaf/amber/index.txt', scene.acme.token)).text).toBe(`2026/${fileName}\n`);
    const draft = await raw(s, amberPath, scene.acme.token);
    expect(draft.status).toBe(200);
    expect(draft.headers['access-control-allow-origin']).toBeUndefined();
    expect(await csafProblems(JSON.parse(draft.text))).toEqual([]);
    const key = (await raw(s, '/.well-known/csaf/provider-metadata.json')).text;
    const keyUrl = (JSON.parse(key) as Json)['public_openpgp_keys'][0]['url'] as string;
    const publicKey = (await raw(s, keyUrl)).text;
    const draftSignature = (await raw(s, `${amberPath}.asc`, scene.acme.token)).text;
    expect(await verifyDetached(draft.bytes, draftSignature, publicKey)).toBe(true);

    const embargoed = await s.call(s.coordinatorAdmin, 'POST', `/api/v1/advisories/${advisory['id']}/publish`);
    expect(embargoed.status).toBe(409);
    expect(embargoed.problem.code).toBe('embargo-active');
    expect(embargoed.body, 'the extension member reaches the client').toMatchObject({ embargoState: 'active' });
    expect((await raw(s, '/.well-known/csaf/white/index.txt')).text).toBe('');
    await moveEmbargo(s.as(s.coordinatorAdmin), scene.opened.id, { action: 'end', reason: 'published' });
    const published = await s.call(s.coordinatorAdmin, 'POST', `/api/v1/advisories/${advisory['id']}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: 'published',
      tlp: 'CLEAR',
      version: 1,
      path: `/.well-known/csaf/white/2026/${fileName}`,
    });
    const index = await raw(s, '/.well-known/csaf/white/index.txt');
    expect(index.text).toBe(`2026/${fileName}\n`);
    expect(index.headers['access-control-allow-origin']).toBe('*');
    expect((await raw(s, '/.well-known/csaf/amber/index.txt', scene.acme.token)).text).toBe('');
    const document = await s.call(null, 'GET', `/.well-known/csaf/white/2026/${fileName}`);
    expect(document.status).toBe(200);
    expect(document.headers['access-control-allow-origin']).toBe('*');
    expect((await s.call(scene.outsider, 'GET', `/api/v1/advisories/${advisory['id']}/document`)).body).toEqual(document.body);
    expect((await s.call(scene.outsider, 'GET', `/api/v1/advisories/${advisory['id']}/document?draft=true`)).status).toBe(404);
    expect((await raw(s, `/.well-known/csaf/white/2026/other.json`)).status).toBe(404);
    expect((await raw(s, `/.well-known/csaf/green/index.txt`)).status).toBe(404);
  });

  it('passes a downloader’s checks: security.txt → metadata → feeds and directories → every document, its hashes and signature', async () => {
    const s = get();
    for (const [at, cve] of [
      ['2026-06-03T09:00:00.000Z', 'CVE-2026-4343'],
      ['2026-06-05T09:00:00.000Z', 'CVE-2026-4344'],
    ] as const) {
      const scene = await embargoedCase(s, cve);
      const coordinator = s.as(s.coordinatorAdmin);
      await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
      const id = ((await s.call(s.coordinatorAdmin, 'POST', '/api/v1/advisories', { caseId: scene.opened.id })).body as Json)[
        'id'
      ] as string;
      s.clock.set(at);
      expect((await s.call(s.coordinatorAdmin, 'POST', `/api/v1/advisories/${id}/publish`)).status).toBe(200);
    }

    const securityTxt = await raw(s, '/.well-known/security.txt');
    const csafLine = /^CSAF: (.+)$/m.exec(securityTxt.text)?.[1];
    expect(csafLine).toBe(`${PUBLIC_URL}/.well-known/csaf/provider-metadata.json`);
    const metadataResponse = await raw(s, csafLine!);
    expect(metadataResponse.headers['access-control-allow-origin']).toBe('*');
    const metadata = JSON.parse(metadataResponse.text) as Json;
    expect(metadata).toMatchObject({ role: 'csaf_trusted_provider', metadata_version: '2.0', canonical_url: csafLine });
    const keys = metadata['public_openpgp_keys'] as { fingerprint: string; url: string }[];
    expect(keys).toHaveLength(1);
    const publicKey = await raw(s, keys[0]!.url);
    expect(publicKey.status).toBe(200);

    let gnupgHome: string | null = null;
    if (gpg === null) console.log('gpg is not installed: signatures are verified with openpgp.js only');
    else {
      gnupgHome = tempDirForTest('csaf-gpg-');
      writeFileSync(path.join(gnupgHome, 'key.asc'), publicKey.bytes);
      execFileSync(gpg, ['--homedir', gnupgHome, '--batch', '--quiet', '--import', path.join(gnupgHome, 'key.asc')], { stdio: 'pipe' });
      const listed = execFileSync(gpg, ['--homedir', gnupgHome, '--batch', '--with-colons', '--fingerprint'], { encoding: 'utf8' });
      expect(listed).toContain(keys[0]!.fingerprint);
    }

    const white = (metadata['distributions'] as Json[]).find((d) => d['rolie']['feeds'][0]['tlp_label'] === 'WHITE')!;
    const feed = JSON.parse((await raw(s, white['rolie']['feeds'][0]['url'] as string)).text) as Json;
    const entries = feed['feed']['entry'] as Json[];
    expect(entries).toHaveLength(2);
    const directory = white['directory_url'] as string;
    const index = (await raw(s, `${directory}index.txt`)).text.trim().split('\n');
    const changes = (await raw(s, `${directory}changes.csv`)).text
      .trim()
      .split('\n')
      .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
    expect(changes.map((c) => c[1])).toEqual(['2026-06-05T09:00:00.000Z', '2026-06-03T09:00:00.000Z']);
    expect(new Set(changes.map((c) => c[0]))).toEqual(new Set(index));

    for (const entry of entries) {
      const url = entry['content']['src'] as string;
      expect(index).toContain(url.slice(directory.length));
      const doc = await raw(s, url);
      expect(doc.status).toBe(200);
      const link = (rel: string) => (entry['link'] as { rel: string; href: string }[]).filter((l) => l.rel === rel).map((l) => l.href);
      for (const hashUrl of link('hash')) {
        const algorithm = hashUrl.endsWith('.sha512') ? 'sha512' : 'sha256';
        const [digest, name] = (await raw(s, hashUrl)).text.trim().split(/\s+/);
        expect(digest).toBe(createHash(algorithm).update(doc.bytes).digest('hex'));
        expect(url.endsWith(`/${name}`)).toBe(true);
      }
      const signature = await raw(s, link('signature')[0]!);
      expect(await verifyDetached(doc.bytes, signature.text, publicKey.text)).toBe(true);
      if (gpg !== null && gnupgHome !== null) {
        const home = gnupgHome;
        const gpgVerify = (bytes: Buffer) => {
          writeFileSync(path.join(home, 'doc.json'), bytes);
          writeFileSync(path.join(home, 'doc.json.asc'), signature.bytes);
          return spawnSync(gpg, ['--homedir', home, '--batch', '--verify', path.join(home, 'doc.json.asc'), path.join(home, 'doc.json')]);
        };
        const verify = gpgVerify(doc.bytes);
        expect(verify.status, verify.stderr.toString()).toBe(0);
        expect(gpgVerify(Buffer.concat([doc.bytes, Buffer.from(' ')])).status).not.toBe(0);
      }
      const csaf = JSON.parse(doc.text) as Json;
      expect(await csafProblems(csaf)).toEqual([]);
      expect(csaf['document']['distribution']['tlp']['label']).toBe('WHITE');
      expect(csaf['document']['references'][0]).toMatchObject({ category: 'self', url });
      expect(url).toContain(`/white/${(csaf['document']['tracking']['initial_release_date'] as string).slice(0, 4)}/`);
    }
  });
});

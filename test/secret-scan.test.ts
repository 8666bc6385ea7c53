import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateWebhookSecret } from '../src/modules/notify/domain/webhook-signature.js';
import { redactedUrl } from '../src/platform/http/redact.js';
import { createTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { scanLogDirectory, secretsInLine } from '#test-support/secret-scan.js';

/**
 * The search the global teardown runs over every log line of a test run (test/global-setup.ts): it must
 * find each kind of secret the clearinghouse really issues, as a log line would carry it, and must not
 * take what redaction leaves for a secret.
 */
describe('the secrets-in-logs search of a whole test run', () => {
  let t: TestRuntime | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.runtime.close();
    await t?.database.drop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('finds an issued API token, a webhook secret, a link token and a private key in log lines', async () => {
    t = await createTestRuntime('sqlite');
    const lab = await t.org('model_developer');
    const webhook = generateWebhookSecret();
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const lines = [
      JSON.stringify({ level: 30, msg: `token created ${lab.token}` }),
      JSON.stringify({ level: 30, req: { headers: { authorization: `Bearer ${lab.token}` } } }),
      JSON.stringify({ level: 20, msg: 'endpoint saved', secret: webhook }),
      JSON.stringify({ level: 30, req: { url: '/api/v1/notify/links/remediation?token=eyJhbGciOiJFZERTQSJ9.abc.def' } }),
      JSON.stringify({ level: 50, err: { message: pem } }),
      JSON.stringify({ level: 30, body: { email: 'a@example.org', password: 'correct horse battery staple' } }),
    ];
    expect(lines.map((line) => secretsInLine(line).map((f) => f.shape))).toEqual([
      ['API token'],
      ['API token', 'Authorization header value'],
      ['webhook secret'],
      ['credential in a URL query'],
      ['private key'],
      ['password field'],
    ]);
  });

  it('does not take what redaction leaves, or ordinary ids and hashes, for a secret', () => {
    const url = redactedUrl('/api/v1/notify/links/remediation?token=eyJhbGciOiJFZERTQSJ9.abc.def&page=2');
    const lines = [
      JSON.stringify({ level: 30, req: { url } }),
      JSON.stringify({
        level: 10,
        busboyOptions: { headers: { cookie: '[redacted]', 'x-csrf-token': '[redacted]', authorization: '[redacted]' } },
      }),
      JSON.stringify({ level: 30, tokenId: '01JQ8Z6W5Y3B2M4N7P9R0S1T2V', hint: 'chx_Ab3d…' }),
      JSON.stringify({ level: 30, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }),
      JSON.stringify({ level: 30, msg: 'request completed', url: '/api/v1/clusters?cursor=eyJpZCI6IjAxIn0&limit=50' }),
    ];
    expect(url).toContain('token=REDACTED');
    expect(lines.flatMap((line) => secretsInLine(line))).toEqual([]);
  });

  it('reads every log file of a directory line by line and says where each secret is', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chx-scan-'));
    const secret = generateWebhookSecret();
    await writeFile(path.join(dir, 'a-1.log'), `{"msg":"one"}\n{"msg":"two"}\n`);
    await writeFile(path.join(dir, 'b-2.log'), `{"msg":"three"}\n{"msg":"saved ${secret}"}\n`);
    await writeFile(path.join(dir, 'notes.txt'), `${secret}\n`);
    const result = await scanLogDirectory(dir);
    expect(result.files).toBe(2);
    expect(result.lines).toBe(4);
    expect(result.findings.map((f) => [path.basename(f.file), f.line, f.shape])).toEqual([['b-2.log', 2, 'webhook secret']]);
    expect(result.findings[0]!.excerpt).not.toContain(secret);
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';

/**
 * Path traversal: every GET operation of the OpenAPI document with a path parameter (blobs served by id,
 * the CSAF provider's directories, years, files and keys, export formats, …) gets each parameter replaced
 * by each hostile value — `../`, `%2e%2e`, encoded slashes and backslashes, absolute paths, double
 * encoding, a NUL — and the CSAF provider and the console's static site get whole hostile paths. Every
 * answer must be a 4xx, and none may carry a byte of a file outside the stores: a marker file planted next
 * to the data directory's stores, the repository's package.json, /etc/passwd.
 */

const HOSTILE_VALUES = [
  '..',
  '%2e%2e',
  '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5C..%5Cetc%5Cpasswd',
  '%2Fetc%2Fpasswd',
  '%252e%252e%252fetc%252fpasswd',
  '....%2F%2F....%2F%2Fetc%2Fpasswd',
  '..%2Foutside.txt',
  '..%2F..%2Foutside.txt',
  '%2Fproc%2Fself%2Fenviron',
  'outside.txt%00.json',
];

const HOSTILE_PATHS = [
  '/.well-known/csaf/white/2026/../../../../etc/passwd',
  '/.well-known/csaf/white/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/.well-known/csaf/white/2026/..%2f..%2f..%2foutside.txt',
  '/.well-known/csaf/..%2f..%2foutside.txt',
  '/.well-known/csaf/openpgp/..%2f..%2f..%2foutside.txt',
  '/.well-known/csaf/%2e%2e/index.txt',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2fpackage.json',
  '/assets/..%2f..%2f..%2fpackage.json',
  '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
  '/assets/..%5c..%5c..%5cpackage.json',
  '/index.html/..%2f..%2f..%2fpackage.json',
  '/clusters/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%00/etc/passwd',
  '/api/v1/governance/exports/..%2f..%2fetc%2fpasswd',
];

function rawGet(port: number, url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: url, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

describeEachDatabase('path traversal', (dialect) => {
  const get = useTestServer(dialect);

  it('every path parameter and every served path refuses ../, %2e%2e, encoded slashes and absolute paths with a 4xx, reading nothing outside the stores', async () => {
    const server = get();
    const marker = `outside-marker-${randomBytes(12).toString('hex')}`;
    const dataDir = server.runtime.config.dataDir;
    writeFileSync(path.join(dataDir, 'outside.txt'), marker);
    // Beside the data directory, in the system's temporary one: removed when the test ends.
    const beside = path.join(path.dirname(dataDir), 'outside.txt');
    writeFileSync(beside, marker);
    onTestFinished(() => rmSync(beside, { force: true }));
    const packageName = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string }).name;
    const leaks = [marker, 'root:x:0:0', `"name": "${packageName}"`, 'PATH='];

    const openapi = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const templates = Object.entries(openapi.paths)
      .filter(([p, ops]) => 'get' in ops && /\{[^}]+\}/.test(p))
      .map(([p]) => p);
    expect(templates.length, 'operations with path parameters').toBeGreaterThan(30);
    const urls = new Set<string>(HOSTILE_PATHS);
    for (const template of templates) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      for (const name of names)
        for (const value of HOSTILE_VALUES) {
          // The hostile value in one parameter, a plausible one in the others.
          let url = template.replace(`{${name}}`, value);
          url = url
            .replace(/\{year\}/g, '2026')
            .replace(/\{directory\}/g, 'white')
            .replace(/\{[^}]+\}/g, 'nothing');
          urls.add(url);
        }
    }
    // Over a socket, the path exactly as sent: a client library would resolve the dot segments first.
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    const wrong: string[] = [];
    for (const url of urls)
      for (const who of [null, server.coordinatorAdmin.token]) {
        const response = await rawGet(port, url, { accept: '*/*', ...(who === null ? {} : { authorization: `Bearer ${who}` }) });
        const status = response.status;
        if (status < 400 || status >= 500)
          wrong.push(`${url} (${who === null ? 'anonymous' : 'admin'}): ${status} ${response.body.slice(0, 120)}`);
        for (const leak of leaks) if (response.body.includes(leak)) wrong.push(`${url}: the answer carries "${leak}"`);
      }
    expect(wrong).toEqual([]);
  }, 300_000);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from './server.js';
import { bareHttpServer } from './test-server.js';
import { serveStaticSite } from './static-site.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body></body></html>';

const anonymousServer = () => bareHttpServer();

describe('a built single-page application served at /', () => {
  let root: string;
  let app: HttpApp;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'static-site-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), INDEX);
    writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(root, 'notes.exe'), 'MZ');
    app = await anonymousServer();
    app.get('/api/v1/thing', () => ({ ok: true }));
    expect(serveStaticSite(app, { root, reservedPrefixes: ['/api', '/.well-known'], hashedFolder: 'assets' })).toBe(true);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves index.html with a policy that allows only its own scripts and styles, never cached stale', async () => {
    for (const url of ['/', '/index.html', '/triage', '/clusters/clu_1?tab=reports']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toBe(INDEX);
      expect(page.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control'], url).toBe('no-cache');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed assets with their types, cached for a year', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await get('/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API and missing files to the usual 404, and serves no file of an unknown type', async () => {
    expect((await get('/api/v1/thing')).json()).toEqual({ ok: true });
    for (const url of ['/api/v1/nothing', '/api', '/.well-known/csaf/x.json', '/assets/index-gone.js', '/notes.exe']) {
      const answer = await get(url);
      expect(answer.statusCode, url).toBe(404);
      expect(answer.headers['content-type'], url).toContain('application/problem+json');
    }
    expect((await get('/%E0%A4%A')).statusCode).toBe(400);
  });

  it('serves nothing when the site is not built', async () => {
    const bare = await anonymousServer();
    expect(serveStaticSite(bare, { root: path.join(root, 'absent'), reservedPrefixes: [], hashedFolder: 'assets' })).toBe(false);
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});

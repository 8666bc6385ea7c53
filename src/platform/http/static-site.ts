import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HttpApp } from './server.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The policy of the single-page application: its own scripts, styles, images and API only; no inline
 * script or style element, no plugins, no framing, no foreign form targets.
 */
export const SITE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Files whose names carry a content hash: cached for a year, since a change makes a new name. */
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

interface SiteFile {
  readonly body: Buffer;
  readonly type: string;
  readonly cacheControl: string;
}

export interface StaticSiteOptions {
  /** The built site: a folder holding `index.html`. */
  readonly root: string;
  /** Path prefixes that belong to the server (the API): never answered with the site, 404 as before. */
  readonly reservedPrefixes: readonly string[];
  /** Sub-folder whose file names carry content hashes (Vite's `assets`). */
  readonly hashedFolder: string;
}

function readSite(root: string, hashedFolder: string): Map<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const type = CONTENT_TYPES[path.extname(name).toLowerCase()];
      if (type === undefined) continue;
      const urlPath = `/${path.relative(root, full).split(path.sep).join('/')}`;
      const hashed = urlPath.startsWith(`/${hashedFolder}/`);
      files.set(urlPath, { body: readFileSync(full), type, cacheControl: hashed ? IMMUTABLE_CACHE : 'no-cache' });
    }
  };
  walk(root);
  return files;
}

/**
 * Serves a built single-page application at `/`: its files (read once at start: a build never changes
 * under a running server) with their content types, hashed assets cached for good, and `index.html` for
 * every other GET path without a file extension, so that the application's own routes survive a reload.
 * Paths under the reserved prefixes and missing files answer the server's usual 404. Returns false, adding
 * nothing, when `root` holds no `index.html` (the site was not built).
 */
export function serveStaticSite(app: HttpApp, options: StaticSiteOptions): boolean {
  if (!existsSync(path.join(options.root, 'index.html'))) return false;
  const files = readSite(options.root, options.hashedFolder);
  const index = files.get('/index.html')!;
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/\/+/g, '/'));
    } catch {
      return reply.callNotFound();
    }
    if (options.reservedPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) {
      return reply.callNotFound();
    }
    // A dot segment, a backslash or a NUL names no file of the site (and no route of the console): 404,
    // not the console's page, so that a traversal attempt is refused as such.
    if (/(^|\/)\.{1,2}(\/|$)|[\\\0]/.test(pathname)) return reply.callNotFound();
    const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
    const file = files.get(pathname) ?? (lastSegment.includes('.') ? undefined : index);
    if (file === undefined) return reply.callNotFound();
    void reply.header('cache-control', file.cacheControl).type(file.type);
    if (file.type.startsWith('text/html')) {
      void reply
        .header('content-security-policy', SITE_CONTENT_SECURITY_POLICY)
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY');
    }
    return reply.send(file.body);
  });
  return true;
}

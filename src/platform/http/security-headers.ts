import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const INLINE_STYLE = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;

/**
 * The policy of a server-rendered HTML page that sets none of its own: nothing loads, nothing runs, no
 * form posts, no framing; only the page's own `<style>` elements apply, each allowed by its hash, so an
 * injected element or attribute would not.
 */
export function htmlContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(INLINE_STYLE)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  const style = hashes.length === 0 ? "style-src 'none'" : `style-src ${[...new Set(hashes)].join(' ')}`;
  return `default-src 'none'; ${style}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * onSend hook: every answer says `nosniff` and, unless its route chose a cache policy, `no-store` (API
 * answers carry records the next user of a shared cache may not see); every HTML page without a policy
 * of its own gets {@link htmlContentSecurityPolicy}.
 */
export async function securityHeaders(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  void reply.header('x-content-type-options', 'nosniff');
  if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  const type = reply.getHeader('content-type');
  if (typeof type === 'string' && /^text\/html\b/i.test(type) && !reply.hasHeader('content-security-policy')) {
    const html = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    void reply.header('content-security-policy', htmlContentSecurityPolicy(html));
  }
  return payload;
}

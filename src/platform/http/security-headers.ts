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

/** The policy of every answer that is not a page (JSON, files, problems): nothing loads, nothing frames it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** One year: browsers that reached the server over TLS once stay on TLS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * onSend hook: every answer says `nosniff` and, unless its route chose a cache policy, `no-store` (API
 * answers carry records the next user of a shared cache may not see); every HTML page without a policy
 * of its own gets {@link htmlContentSecurityPolicy}, every other answer {@link API_CONTENT_SECURITY_POLICY};
 * a route's own policy gains `frame-ancestors 'none'` when it lacks one, so that nothing is ever framed.
 * An answer to a request that came over TLS — directly, or through a proxy `CLEARINGHOUSE_TRUST_PROXY`
 * trusts that says `X-Forwarded-Proto: https` — carries HSTS.
 */
export async function securityHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  void reply.header('x-content-type-options', 'nosniff');
  if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  const type = reply.getHeader('content-type');
  const own = reply.getHeader('content-security-policy');
  if (typeof own === 'string') {
    if (!/(^|;)\s*frame-ancestors\s/i.test(own)) void reply.header('content-security-policy', `${own}; frame-ancestors 'none'`);
  } else if (typeof type === 'string' && /^text\/html\b/i.test(type)) {
    const html = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    void reply.header('content-security-policy', htmlContentSecurityPolicy(html));
  } else {
    void reply.header('content-security-policy', API_CONTENT_SECURITY_POLICY);
  }
  if (!reply.hasHeader('x-frame-options')) void reply.header('x-frame-options', 'DENY');
  if (request.protocol === 'https') void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  return payload;
}

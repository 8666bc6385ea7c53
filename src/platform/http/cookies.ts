import type { FastifyReply, FastifyRequest } from 'fastify';

/** The value of one cookie of the request, or undefined. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sets a credential cookie: Secure, HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), for the whole site; `maxAgeSeconds` 0 removes it.
 */
export function setCredentialCookie(reply: FastifyReply, name: string, value: string, maxAgeSeconds: number): void {
  void reply.header(
    'set-cookie',
    `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; Secure; HttpOnly; SameSite=Strict`,
  );
}

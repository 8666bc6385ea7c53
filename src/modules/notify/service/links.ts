import type { ServiceContext } from '../../../platform/context.js';
import type { Database } from '../../../platform/db/index.js';
import { DAY } from '../../../platform/clock.js';
import { signRemediationLink, verifyRemediationLink, type LinkVerification } from '../domain/remediation-link.js';
import { linkKey } from '../store/link-key.js';

/** How long a notification's remediation link works. */
export const REMEDIATION_LINK_DAYS = 90;

/** The link is `${publicUrl}${REMEDIATION_LINK_PATH}?token=…`: in the query, as a token outgrows a path parameter. */
export const REMEDIATION_LINK_PATH = '/api/v1/remediation/link';

const keys = new WeakMap<Database, Buffer>();

async function keyOf(ctx: Pick<ServiceContext, 'db' | 'clock'>): Promise<Buffer> {
  const cached = keys.get(ctx.db);
  if (cached !== undefined) return cached;
  const key = await linkKey(ctx.db.kysely, ctx.clock.now().toISOString());
  keys.set(ctx.db, key);
  return key;
}

/** Makes the signed links of notifications: one key read per process, then pure signing. */
export async function remediationLinkMaker(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  publicUrl: string,
): Promise<(notificationId: string, orgId: string) => { readonly link: string; readonly expiresAt: string }> {
  const key = await keyOf(ctx);
  const expires = new Date(ctx.clock.now().getTime() + REMEDIATION_LINK_DAYS * DAY);
  const expiresAt = Math.floor(expires.getTime() / 1000);
  return (notificationId, orgId) => ({
    link: `${publicUrl}${REMEDIATION_LINK_PATH}?token=${signRemediationLink(key, { notificationId, orgId, expiresAt })}`,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  });
}

export async function checkRemediationLink(ctx: Pick<ServiceContext, 'db' | 'clock'>, token: string): Promise<LinkVerification> {
  return verifyRemediationLink(await keyOf(ctx), token, ctx.clock.now());
}

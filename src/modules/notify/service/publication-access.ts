import { systemActor, type UserActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/errors.js';
import { getAdvisory as getPublishedAdvisory } from '../../advisories/index.js';
import type { Advisory } from '../../inventory/index.js';
import type { PublicationNotice } from '../domain/notification.js';
import { PUBLICATION_SOURCE } from '../domain/publication-record.js';

/**
 * The published advisory (advisories module) behind an inventory record derived from it, as notifications
 * name it: its id, tracking id, current version, title and TLP:CLEAR link. Null for any other record, or
 * when the advisory is no longer published.
 */
export async function publicationOf(
  ctx: ServiceContext,
  deps: { readonly publicUrl: string },
  advisory: Advisory,
): Promise<PublicationNotice | null> {
  if (advisory.source !== PUBLICATION_SOURCE || advisory.sourceRef === null) return null;
  try {
    const published = await getPublishedAdvisory(asActor(ctx, systemActor('notify')), advisory.sourceRef);
    if (published.status !== 'published' || published.tlp !== 'CLEAR' || published.path === null) return null;
    return {
      advisoryId: published.id,
      trackingId: published.trackingId,
      version: published.version,
      revision: published.version > 1,
      title: published.title,
      tlp: 'CLEAR',
      link: `${deps.publicUrl.replace(/\/+$/, '')}${published.path}`,
      publishedAt: published.currentReleaseAt ?? published.publishedAt,
    };
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Whether a member of the organisation may read the published advisory, as the advisories module decides. */
export async function publicationReadableBy(ctx: ServiceContext, reader: UserActor, advisoryId: string): Promise<boolean> {
  try {
    const seen = await getPublishedAdvisory(asActor(ctx, reader), advisoryId);
    return seen.status === 'published';
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

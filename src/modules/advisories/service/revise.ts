import type { ServiceContext } from '../../../platform/context.js';
import { ConflictError } from '../../../platform/errors.js';
import { advisoryOfCase } from '../store/advisories.js';
import { generateAdvisory, publishAdvisory, type ProviderSettings } from './advisories.js';

export type RevisionOutcome = 'no-advisory' | 'draft-refreshed' | 'revised' | 'unchanged' | 'embargo-active';

/**
 * Brings the case's advisory up to what its approved statements say now: a draft is refreshed (its readers
 * read the current statements); a published advisory gets its next signed revision, or nothing when what it
 * says is unchanged. A case back under embargo is left for the coordinator to publish when it ends.
 */
export async function reviseAdvisoryOfCase(ctx: ServiceContext, caseId: string, settings: ProviderSettings): Promise<RevisionOutcome> {
  const advisory = await advisoryOfCase(ctx.db.kysely, caseId);
  if (advisory === undefined) return 'no-advisory';
  if (advisory.status === 'draft') {
    await generateAdvisory(ctx, caseId, {}, settings);
    return 'draft-refreshed';
  }
  try {
    const after = await publishAdvisory(ctx, advisory.id, settings);
    return after.version > advisory.version ? 'revised' : 'unchanged';
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'embargo-active') return 'embargo-active';
    throw error;
  }
}

import type { ServiceContext } from '../../../platform/context.js';
import { validateCycloneDxJson } from '../../inventory/index.js';
import { cycloneDxVexOfCsaf, serialNumberOf } from '../domain/cyclonedx-vex.js';
import { advisoryDocument } from './advisories.js';

/** The media type of a CycloneDX 1.6 JSON BOM. */
export const CYCLONEDX_VEX_MEDIA_TYPE = 'application/vnd.cyclonedx+json; version=1.6';

/**
 * The CycloneDX 1.6 VEX of an advisory, written from the CSAF document the reader may read — the latest
 * published revision (or `revision` n), or the draft for the case's participants — so it says what that
 * document says, from the same approved statements, and no more. Checked against the CycloneDX 1.6 JSON schema
 * before it is answered. Pretty-printed JSON; the same document always gives the same bytes.
 *
 * @throws NotFoundError when the advisory or the document is hidden or absent.
 */
export async function advisoryCycloneDxVex(
  ctx: ServiceContext,
  idOrTrackingId: string,
  which: { kind: 'draft' } | { kind: 'published'; revision?: number },
): Promise<{ bytes: Buffer; fileName: string }> {
  const document = await advisoryDocument(ctx, idOrTrackingId, which);
  const csaf = JSON.parse(document.bytes.toString('utf8')) as Record<string, unknown>;
  const bom = cycloneDxVexOfCsaf(csaf, serialNumberOf(document.sha256));
  const issues = validateCycloneDxJson(bom, '1.6') ?? [];
  // A document our own generator wrote that maps to an invalid BOM is our fault: an internal error, not the reader's.
  if (issues.length > 0)
    throw new Error(
      `the CycloneDX VEX of ${idOrTrackingId} breaks the 1.6 schema: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`,
    );
  return { bytes: Buffer.from(`${JSON.stringify(bom, null, 2)}\n`), fileName: document.fileName.replace(/\.json$/, '.cdx.json') };
}

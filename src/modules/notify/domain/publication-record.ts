import { parsePurl } from '../../../platform/software/index.js';
import type { AdvisoryPublishedPayload, PublishedProduct } from '../../advisories/pure.js';

/** The inventory source of the match-engine records notify derives from published advisories. */
export const PUBLICATION_SOURCE = 'clearinghouse-advisory';

type OsvEvent = { readonly introduced: string } | { readonly fixed: string };

interface OsvAffectedEntry {
  readonly package: { readonly ecosystem: string; readonly name: string; readonly purl: string };
  readonly versions?: readonly string[];
  readonly ranges?: readonly { readonly type: 'ECOSYSTEM'; readonly events: readonly OsvEvent[] }[];
}

/**
 * The OSV entry a published product becomes, so that the inventory's match engine finds who runs it. What
 * the document states, no more: a product the vendor named at a version affects that version and, when the
 * vendor named the fix, every version from it until a fixed one (each fixed version an upgrade target); a
 * product named without a version affects every version (below a fixed one when there is one). Products
 * whose package URL has no OSV ecosystem cannot be matched against SBOMs and give nothing.
 */
function affectedEntry(product: PublishedProduct): OsvAffectedEntry | null {
  const parsed = parsePurl(product.purl);
  if (!parsed.ok || parsed.value.ecosystem === null) return null;
  const { ecosystem, name, version } = parsed.value;
  const pkg = { ecosystem, name, purl: product.purl };
  const fixed = product.status === 'fixed' ? product.fixedVersions.map((v) => ({ fixed: v })) : [];
  if (version !== null && fixed.length === 0) return { package: pkg, versions: [version] };
  const introduced = version ?? '0';
  return {
    package: pkg,
    ...(version === null ? {} : { versions: [version] }),
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, ...fixed] }],
  };
}

/**
 * A published advisory as an OSV record for the inventory's match engine: its tracking id as the record's id
 * (the clearinghouse's own namespace), its CVE ids as aliases, its title as the summary, the publication as
 * `modified` (a redelivered older revision is stale), and one affected entry per product with a package URL.
 * An advisory whose products name no matchable package gives a record that affects nothing, so that a
 * revision that drops them clears the matches of the one before.
 */
export function publicationRecord(payload: AdvisoryPublishedPayload): Record<string, unknown> {
  const affected = (payload.products ?? []).flatMap((p) => {
    const entry = affectedEntry(p);
    return entry === null ? [] : [entry];
  });
  return {
    id: payload.trackingId,
    modified: payload.publishedAt,
    ...(payload.cveIds.length > 0 ? { aliases: [...payload.cveIds] } : {}),
    summary: payload.title,
    affected,
    database_specific: { clearinghouse: { advisoryId: payload.advisoryId, version: payload.version, path: payload.path } },
  };
}

import { isEvent, type StoredEvent } from '../../../platform/events/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { setRecipients } from '../../identity/index.js';
import { SUBMISSION_PROCESSED, submissionContents, type AffectedPackage, type Finding } from '../../intake/index.js';
import type { OsvAffected, OsvRange } from '../domain/osv-record.js';
import { parsePurl } from '../../../platform/software/index.js';
import { upsertAdvisories, type AdvisoryInput } from './advisories.js';

const ADVISORY_FORMATS = new Set(['osv', 'cve5', 'csaf']);

/** Whether a submission in this format can hold advisories for the match engine (findings in SARIF or native cannot). */
export const submitsAdvisories = (format: string): boolean => ADVISORY_FORMATS.has(format);
const AFFECTED_CSAF = new Set(['known_affected', 'first_affected', 'last_affected']);

/** The OSV package an intake `affected` entry names: its OSV ecosystem and name, or read from its purl. */
function packageOf(entry: AffectedPackage): { ecosystem: string; name: string; purl?: string } | null {
  if (entry.ecosystem !== null && entry.name !== null && !/^https?:/i.test(entry.ecosystem))
    return { ecosystem: entry.ecosystem, name: entry.name };
  if (entry.target?.kind !== 'package') return null;
  const parsed = parsePurl(entry.target.purl);
  if (!parsed.ok || parsed.value.ecosystem === null) return null;
  return { ecosystem: parsed.value.ecosystem, name: parsed.value.name, purl: entry.target.purl };
}

/** CVE 5 version entries, in the CVE schema's own semantics, as OSV events (status `affected` only). */
function cveRanges(entry: AffectedPackage): { ranges: OsvRange[]; versions: string[] } {
  const ranges: OsvRange[] = [];
  const versions: string[] = [];
  for (const range of entry.ranges) {
    if (range.scheme !== 'cve5' || range.status !== 'affected') continue;
    const from = range.version === '*' || range.version === '' ? '0' : range.version;
    if (range.lessThan !== null && range.lessThan !== '*')
      ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: from }, { fixed: range.lessThan }] });
    else if (range.lessThanOrEqual !== null && range.lessThanOrEqual !== '*')
      ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: from }, { last_affected: range.lessThanOrEqual }] });
    else if (range.lessThan === '*' || range.lessThanOrEqual === '*') ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: from }] });
    else versions.push(range.version);
  }
  return { ranges, versions };
}

function affectedOf(finding: Finding): OsvAffected[] {
  const out: OsvAffected[] = [];
  for (const entry of finding.affected) {
    const pkg = packageOf(entry);
    if (pkg === null) continue;
    const osvRanges: OsvRange[] = entry.ranges.flatMap((r) =>
      r.scheme === 'osv'
        ? [{ type: r.type, ...(r.repo === null ? {} : { repo: r.repo }), events: r.events.map((e) => ({ [e.kind]: e.version })) }]
        : [],
    );
    const cve = cveRanges(entry);
    const ranges = [...osvRanges, ...cve.ranges];
    const versions = [...new Set([...entry.versions, ...cve.versions])];
    if (ranges.length === 0 && versions.length === 0) continue;
    out.push({ package: pkg, ...(ranges.length > 0 ? { ranges } : {}), ...(versions.length > 0 ? { versions } : {}) });
  }
  // CSAF: an affected product whose purl carries a version names that exact version.
  const product = finding.productStatus;
  if (product !== null && AFFECTED_CSAF.has(product.status) && product.product.purl !== null) {
    const parsed = parsePurl(product.product.purl);
    if (parsed.ok && parsed.value.ecosystem !== null && parsed.value.version !== null) {
      out.push({
        package: { ecosystem: parsed.value.ecosystem, name: parsed.value.name, purl: product.product.purl },
        versions: [parsed.value.version],
      });
    }
  }
  return out;
}

/**
 * An intake advisory finding (OSV, CVE 5, CSAF) as an OSV record the match engine reads, or null when it
 * names no package an ecosystem can match. CVE ranges keep their meaning (`lessThan` → fixed,
 * `lessThanOrEqual` → last_affected); a CSAF product is matched at the exact version its purl names.
 */
export function advisoryFromFinding(finding: Finding, documentId: string | null): Record<string, unknown> | null {
  const affected = affectedOf(finding);
  if (affected.length === 0) return null;
  const own = finding.aliases.find((a) => a.source === 'record')?.id;
  const cve = finding.aliases.find((a) => a.id.startsWith('CVE-'))?.id;
  const id = finding.format === 'csaf' ? (cve ?? `${documentId ?? 'csaf'}${finding.ref}`) : (own ?? cve ?? documentId);
  if (id === undefined || id === null) return null;
  const aliases = [...new Set(finding.aliases.map((a) => a.id))].filter((a) => a !== id);
  return {
    id,
    modified: finding.dates.modified ?? finding.dates.published ?? '1970-01-01T00:00:00Z',
    ...(finding.status === 'withdrawn' ? { withdrawn: finding.dates.withdrawn ?? finding.dates.modified ?? '1970-01-01T00:00:00Z' } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(finding.title === null ? {} : { summary: finding.title }),
    affected,
  };
}

/**
 * `inventory.from-intake`: the advisories among a processed submission become match-engine advisories,
 * under the submission's TLP and owner, so that reverse matching finds the operators running them.
 * Idempotent: an unchanged advisory is left alone by upsertAdvisories.
 */
export async function indexSubmittedAdvisories(ctx: ServiceContext, event: StoredEvent): Promise<number> {
  if (!isEvent(event, SUBMISSION_PROCESSED)) return 0;
  const payload = event.payload;
  if (!submitsAdvisories(payload.format)) return 0;
  const contents = await submissionContents(ctx.db.kysely, payload.submissionId);
  const byId = new Map<string, AdvisoryInput>();
  for (const { id, finding } of contents.findings) {
    const record = advisoryFromFinding(finding, contents.submission.documentId);
    if (record === null) continue;
    const key = String(record.id);
    const earlier = byId.get(key)?.record as { affected: OsvAffected[] } | undefined;
    // CSAF repeats a vulnerability once per product: gather its products into one advisory.
    if (earlier !== undefined) earlier.affected.push(...(record.affected as OsvAffected[]));
    else byId.set(key, { record, sourceRef: id });
  }
  if (byId.size === 0) return 0;
  const results = await upsertAdvisories(
    ctx,
    [...byId.values()],
    {
      source: 'intake',
      tlp: contents.submission.tlp,
      ownerOrgId: contents.submission.ownerOrgId,
      createdBy: contents.submission.createdBy,
    },
    { derived: true },
  );
  // The advisory is shared as the submission was: the coordinator (always) and the named recipients.
  await withTransaction(ctx.db, async (trx) => {
    for (const result of results) await setRecipients(trx, result.id, contents.submission.recipients);
  });
  return byId.size;
}

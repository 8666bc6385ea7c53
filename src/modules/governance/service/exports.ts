import type { Actor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import { TLP_LABELS, type Tlp } from '../../../platform/tlp.js';
import { csvTable } from '../../../platform/csv.js';
import type { SharedRecords, SharedVulnerability } from '../domain/sharing/shared-records.js';
import { stixBundle } from '../domain/sharing/stix-bundle.js';
import { osvRecordsFor } from './osv-records.js';
import { newBundleId, PRODUCER, recipientActor, recordsFor } from './shared-records.js';

export const EXPORT_FORMATS = {
  stix: 'a STIX 2.1 bundle: vulnerability, note, relationship and identity objects with TLP 2.0 markings',
  csv: 'CSV for spreadsheets: one row per vulnerability, formula-safe cells',
  osv: 'OSV 1.6 records (a JSON array) of the published advisories: one per vulnerability, the packages by purl',
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;
export const EXPORT_FORMAT_KEYS = Object.keys(EXPORT_FORMATS) as ExportFormat[];

export interface ExportFile {
  readonly mediaType: string;
  readonly filename: string;
  readonly body: string;
  /** How many vulnerabilities it carries, by TLP label. */
  readonly counts: Readonly<Record<Tlp, number>>;
}

const CSV_COLUMNS: readonly { header: string; value: (v: SharedVulnerability) => string | null }[] = [
  { header: 'id', value: (v) => v.recordId },
  { header: 'tlp', value: (v) => `TLP:${v.tlp}` },
  { header: 'title', value: (v) => v.title },
  { header: 'aliases', value: (v) => v.aliases.join(' ') },
  { header: 'cwes', value: (v) => v.cwes.join(' ') },
  { header: 'targets', value: (v) => v.targets.join(' ') },
  { header: 'state', value: (v) => v.state },
  { header: 'first_reported', value: (v) => v.createdAt },
  { header: 'last_updated', value: (v) => v.modifiedAt },
  { header: 'description', value: (v) => v.description },
];

function counts(records: SharedRecords): Record<Tlp, number> {
  const out = Object.fromEntries(TLP_LABELS.map((t) => [t, 0])) as Record<Tlp, number>;
  for (const v of records.vulnerabilities) out[v.tlp] += 1;
  return out;
}

/**
 * An export for a partner: everything the recipient may see — another organisation (coordinator staff
 * export on its behalf) or the caller — read through the one access policy as the recipient, never as the
 * exporter, in STIX 2.1, CSV or OSV (published advisories only). Each export is an act of sharing: audited with who, for whom and how much.
 */
export async function exportShared(
  ctx: ServiceContext,
  input: { readonly format?: unknown; readonly recipientOrgId?: string | undefined; readonly since?: string | undefined },
): Promise<ExportFile> {
  const format = input.format;
  if (typeof format !== 'string' || !(EXPORT_FORMAT_KEYS as readonly string[]).includes(format)) {
    throw new InputError(`format must be one of ${EXPORT_FORMAT_KEYS.join(', ')}`, [
      { pointer: '/format', detail: `must be one of ${EXPORT_FORMAT_KEYS.join(', ')}` },
    ]);
  }
  if (input.since !== undefined && Number.isNaN(Date.parse(input.since))) {
    throw new InputError('since must be an ISO 8601 instant', [{ pointer: '/since', detail: 'must be an ISO 8601 instant' }]);
  }
  const recipient = await recipientActor(ctx, input.recipientOrgId);
  const stamp = ctx.clock.now().toISOString().replace(/[:.]/g, '-');
  const file =
    format === 'osv'
      ? await osvFile(ctx, recipient, stamp, input.since)
      : await sharedFile(ctx, recipient, stamp, format as 'stix' | 'csv', input.since);
  await withTransaction(ctx.db, (trx) =>
    ctx.audit.record(trx, ctx.actor, {
      action: 'governance.export.create',
      subject: { type: 'export', id: file.filename },
      orgId: recipient.kind === 'user' ? recipient.orgId : null,
      diff: { format, recipientOrgId: recipient.kind === 'user' ? recipient.orgId : null, since: input.since ?? null, counts: file.counts },
    }),
  );
  return file;
}

/** STIX or CSV of the shared records (findings' clusters) the recipient may see. */
async function sharedFile(
  ctx: ServiceContext,
  recipient: Actor,
  stamp: string,
  format: 'stix' | 'csv',
  since: string | undefined,
): Promise<ExportFile> {
  const records = await recordsFor(ctx, recipient, { since });
  return format === 'stix'
    ? {
        mediaType: 'application/stix+json;version=2.1',
        filename: `clearinghouse-${stamp}.stix.json`,
        body: JSON.stringify(stixBundle(records, PRODUCER, newBundleId())),
        counts: counts(records),
      }
    : {
        mediaType: 'text/csv; charset=utf-8',
        filename: `clearinghouse-${stamp}.csv`,
        body: csvTable(CSV_COLUMNS, records.vulnerabilities),
        counts: counts(records),
      };
}

/** OSV records of the published advisories the recipient may read; they are TLP:CLEAR, and counted there. */
async function osvFile(ctx: ServiceContext, recipient: Actor, stamp: string, since: string | undefined): Promise<ExportFile> {
  const records = await osvRecordsFor(ctx, recipient, since);
  const none = Object.fromEntries(TLP_LABELS.map((t) => [t, 0])) as Record<Tlp, number>;
  return {
    mediaType: 'application/json',
    filename: `clearinghouse-${stamp}.osv.json`,
    body: JSON.stringify(records),
    counts: { ...none, CLEAR: records.length },
  };
}

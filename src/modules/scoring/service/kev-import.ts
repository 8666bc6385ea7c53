import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction } from '../../../platform/db/index.js';
import { ConflictError } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/hash.js';
import { newId } from '../../../platform/ids.js';
import { parseKevCatalog, type KevCatalog, type KevEntry } from '../domain/kev-catalog.js';
import { diffKevCatalogs } from '../domain/kev-diff.js';
import { presentKevImport, type KevImport } from '../presenters.js';
import { insertKevImport, lastKevImport, listedKevEntries, markKevEntriesRemoved, upsertKevEntries } from '../store/kev.js';
import { chunks, type KevEntryRow } from '../store/tables.js';
import { authorize } from '../../identity/index.js';
import type { FeedProgress } from './feed-progress.js';
import { KEV_CHANGED } from '../events.js';

export interface KevImportInput {
  /** The catalog JSON as CISA publishes it (`known_exploited_vulnerabilities.json`), text or bytes (gzip accepted). */
  readonly data: string | Uint8Array;
  /** Where it came from (a file name or URL), for the import history. */
  readonly source: string;
  /** Accept a catalog released before the one held (a deliberate rollback); default false. */
  readonly allowOlder?: boolean;
  readonly onProgress?: FeedProgress;
}

export interface KevImportResult {
  /** False when the catalog held already is this one, entry for entry: nothing was written. */
  readonly changed: boolean;
  /** The import recorded, when `changed`. */
  readonly import: KevImport | null;
  readonly catalogVersion: string;
  readonly entries: number;
}

export function kevEntryOf(row: KevEntryRow): KevEntry {
  return {
    cveId: row.cve_id,
    vendorProject: row.vendor_project,
    product: row.product,
    vulnerabilityName: row.vulnerability_name,
    dateAdded: row.date_added,
    dueDate: row.due_date,
    knownRansomwareCampaignUse: row.known_ransomware_campaign_use === 'known' ? 'known' : 'unknown',
    catalogVersion: row.catalog_version,
    dateReleased: row.date_released,
  };
}

function rowOf(entry: KevEntry, at: string): KevEntryRow {
  return {
    cve_id: entry.cveId,
    vendor_project: entry.vendorProject,
    product: entry.product,
    vulnerability_name: entry.vulnerabilityName,
    date_added: entry.dateAdded,
    due_date: entry.dueDate,
    known_ransomware_campaign_use: entry.knownRansomwareCampaignUse,
    catalog_version: entry.catalogVersion,
    date_released: entry.dateReleased,
    first_seen_at: at,
    updated_at: at,
    removed_at: null,
    removed_in_catalog: null,
  };
}

/**
 * Imports CISA's KEV catalog (validated against CISA's schema; InputError naming the field otherwise) and
 * applies exactly its difference from the catalog held: entries added, withdrawn (kept, marked removed) and
 * changed. Importing the catalog held again changes nothing and records nothing. A catalog released before
 * the one held is refused (ConflictError `kev-catalog-older`) unless `allowOlder`. Coordinator admins and
 * the system only. Audited as `scoring.kev.import`; when entries changed, emits `scoring.kev.changed`
 * with the CVE ids added, removed and changed, upon which the decisions naming them are recomputed.
 */
export async function importKevCatalog(ctx: ServiceContext, input: KevImportInput): Promise<KevImportResult> {
  authorize(ctx.actor, 'scoring.feed.manage');
  const catalog = parseKevCatalog(input.data);
  const sha256 = sha256Hex(input.data);
  return withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, 'scoring.kev');
    const last = await lastKevImport(trx);
    const held: KevCatalog | null =
      last === undefined
        ? null
        : {
            catalogVersion: last.catalog_version,
            dateReleased: last.date_released,
            entries: (await listedKevEntries(trx)).map(kevEntryOf),
          };
    const diff = diffKevCatalogs(held, catalog);
    const entries = catalog.entries.length;
    const sameEntries = diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
    if (sameEntries && held?.catalogVersion === catalog.catalogVersion)
      return { changed: false, import: null, catalogVersion: catalog.catalogVersion, entries };
    if (diff.olderThanPrevious && input.allowOlder !== true) {
      throw new ConflictError(
        `catalog ${catalog.catalogVersion} (released ${catalog.dateReleased}) is older than the one held, ${held?.catalogVersion ?? ''} (released ${held?.dateReleased ?? ''})`,
        { code: 'kev-catalog-older' },
      );
    }
    const at = ctx.clock.now().toISOString();
    const writes = [...diff.added, ...diff.changed.map((c) => c.after)].map((e) => rowOf(e, at));
    let done = 0;
    input.onProgress?.(0, writes.length + diff.removed.length);
    for (const part of chunks(writes)) {
      await upsertKevEntries(trx, part);
      done += part.length;
      input.onProgress?.(done, writes.length + diff.removed.length);
    }
    await markKevEntriesRemoved(
      trx,
      diff.removed.map((e) => e.cveId),
      at,
      catalog.catalogVersion,
    );
    input.onProgress?.(writes.length + diff.removed.length, writes.length + diff.removed.length);
    const added = diff.added.map((e) => e.cveId);
    const removed = diff.removed.map((e) => e.cveId);
    const changed = diff.changed.map((c) => ({ cveId: c.cveId, fields: [...c.fields] }));
    const row = {
      id: newId('kevimp'),
      catalog_version: catalog.catalogVersion,
      date_released: catalog.dateReleased,
      previous_catalog_version: held?.catalogVersion ?? null,
      imported_at: at,
      imported_by: describeActor(ctx.actor),
      source: input.source.slice(0, 2048),
      sha256,
      entry_count: entries,
      added: JSON.stringify(added),
      removed: JSON.stringify(removed),
      changed: JSON.stringify(changed),
    };
    await insertKevImport(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scoring.kev.import',
      subject: { type: 'kev_import', id: row.id },
      orgId: null,
      diff: {
        catalogVersion: catalog.catalogVersion,
        previousCatalogVersion: row.previous_catalog_version,
        source: row.source,
        sha256,
        added: added.length,
        removed,
        changed: changed.length,
      },
    });
    if (!sameEntries) {
      await ctx.events.emit(trx, {
        type: KEV_CHANGED,
        subjectId: row.id,
        payload: {
          catalogVersion: catalog.catalogVersion,
          dateReleased: catalog.dateReleased,
          previousCatalogVersion: row.previous_catalog_version,
          added,
          removed,
          changed: changed.map((c) => c.cveId),
        },
      });
    }
    return { changed: true, import: presentKevImport(row), catalogVersion: catalog.catalogVersion, entries };
  });
}

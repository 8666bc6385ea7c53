import type { Database, Executor } from '../../../platform/db/index.js';
import { AdvisoryIndex, ComponentIndex } from '../domain/match-index.js';
import type { ComponentRef } from '../domain/osv-evaluate.js';
import { readOsvRecord } from '../domain/osv-record.js';
import { findAdvisories, liveAdvisoriesAfter } from '../store/advisories.js';
import { findAssets } from '../store/assets.js';
import { changesAfter, lastChangeSeq } from '../store/changes.js';
import { currentComponentsAfter, matchableComponentsOf } from '../store/sboms.js';

/**
 * The per-process match indexes (DESIGN §6): every live advisory compiled in an {@link AdvisoryIndex}, and
 * every asset's current SBOM in a {@link ComponentIndex} (owner: the SBOM id). They are caches of the
 * database, which stays the source of truth, and follow its `inventory_change` log:
 *
 * - built from the database on first use (lazily, per Database handle — see the module README);
 * - brought up to date before every use by {@link InventoryIndexes.refresh}: one `max(seq)` query, then the
 *   changes after the last one seen, each re-read from its table (so applying one twice is harmless);
 * - after this process commits a change, updated in place by {@link InventoryIndexes.applyLocal} when
 *   nothing else happened in between (otherwise the next refresh reads it like any other process's change).
 *
 * Every use happens while holding the inventory lock (service/match-lock.ts), so that what a refresh reads
 * is what the database holds until the lock is released: all of it under the lock held alone, the advisories
 * under the lock held shared (uploads change only assets). On PostgreSQL a refresh also runs before the lock,
 * in the process's turn for it. Refreshes run one at a time.
 */

/** Past this many changes behind, a refresh rebuilds everything instead of replaying. */
const FULL_RELOAD_AFTER = 20_000;
const PAGE = 5000;

export interface SbomOwner {
  readonly assetId: string;
  readonly orgId: string;
}

export class InventoryIndexes {
  advisories = new AdvisoryIndex();
  components = new ComponentIndex<string>();
  /** SBOM id → its asset and operator, for the SBOMs in `components`. */
  sbomOwners = new Map<string, SbomOwner>();
  /** asset id → its current SBOM id, for the assets in `components`. */
  private sbomOfAsset = new Map<string, string>();
  /** The last change applied; -1 before the first build. */
  seq = -1;

  /** The refresh running, if any: refreshes run one at a time. */
  private refreshing: Promise<void> = Promise.resolve();
  /** Refreshes asked for and not finished. */
  private refreshes = 0;

  /**
   * Brings the indexes up to the database's newest change, after any refresh running in this process: uploads
   * holding the inventory lock shared refresh side by side, and two replays at once could apply an asset as
   * one read it after another's newer read (the indexes would then stand behind their `seq` for good).
   */
  refresh(executor: Executor): Promise<void> {
    this.refreshes += 1;
    const run = this.refreshing.then(() => this.refreshNow(executor)).finally(() => (this.refreshes -= 1));
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(executor: Executor): Promise<void> {
    const last = await lastChangeSeq(executor);
    if (this.seq === last) return;
    if (this.seq < 0 || last - this.seq > FULL_RELOAD_AFTER || last < this.seq) {
      await this.rebuild(executor, last);
      return;
    }
    let from = this.seq;
    while (from < last) {
      const changes = await changesAfter(executor, from, PAGE);
      if (changes.length === 0) break;
      // Each changed subject re-read once, all of a kind in one query: a refresh runs under the inventory lock,
      // where every round trip keeps the other processes' uploads and imports waiting (issue 20).
      const subjects = (advisories: boolean) => [
        ...new Set(changes.filter((c) => (c.kind === 'advisory') === advisories).map((c) => c.subject_id)),
      ];
      await this.reloadAdvisories(executor, subjects(true));
      await this.reloadAssets(executor, subjects(false));
      from = (changes[changes.length - 1] as { seq: number }).seq;
      this.seq = Math.max(this.seq, from);
    }
  }

  /**
   * Applies changes this process just committed as `firstSeq`…`lastSeq`, if the indexes stood right before
   * them and no refresh runs; otherwise leaves them to the next refresh (a refresh running may have read the
   * subject before the commit, and would put it back as it was after `apply`). `apply` must not await.
   */
  applyLocal(firstSeq: number, lastSeq: number, apply: (indexes: this) => void): void {
    if (this.refreshes > 0 || this.seq !== firstSeq - 1) return;
    apply(this);
    this.seq = lastSeq;
  }

  /** Replaces an asset's indexed inventory by one SBOM's components (null: none). */
  setAssetInventory(assetId: string, orgId: string, sbomId: string | null, components: readonly ComponentRef[]): void {
    const previous = this.sbomOfAsset.get(assetId);
    if (previous !== undefined) {
      this.components.removeOwner(previous);
      this.sbomOwners.delete(previous);
      this.sbomOfAsset.delete(assetId);
    }
    if (sbomId === null) return;
    this.components.add(sbomId, components);
    this.sbomOwners.set(sbomId, { assetId, orgId });
    this.sbomOfAsset.set(assetId, sbomId);
  }

  private async reloadAdvisories(executor: Executor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = new Map((await findAdvisories(executor, ids)).map((row) => [row.id, row]));
    for (const id of ids) {
      const row = rows.get(id);
      if (row === undefined || row.withdrawn !== null) this.advisories.remove(id);
      else this.advisories.upsert(readOsvRecord(JSON.parse(row.record)));
    }
  }

  private async reloadAssets(executor: Executor, assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    const assets = new Map((await findAssets(executor, assetIds)).map((row) => [row.id, row]));
    const changed: { assetId: string; orgId: string; sbomId: string }[] = [];
    for (const assetId of assetIds) {
      const asset = assets.get(assetId);
      const sbomId = asset?.current_sbom_id ?? null;
      if (asset === undefined || sbomId === null) this.setAssetInventory(assetId, '', null, []);
      else if (this.sbomOfAsset.get(assetId) !== sbomId) changed.push({ assetId, orgId: asset.owner_org_id, sbomId });
    }
    if (changed.length === 0) return;
    const refs = new Map<string, ComponentRef[]>(changed.map((c) => [c.sbomId, []]));
    for (const row of await matchableComponentsOf(
      executor,
      changed.map((c) => c.sbomId),
    ))
      refs.get(row.sbom_id)?.push(toComponentRef(row));
    for (const c of changed) this.setAssetInventory(c.assetId, c.orgId, c.sbomId, refs.get(c.sbomId) ?? []);
  }

  /** Builds fresh indexes from the tables and swaps them in only when complete. */
  private async rebuild(executor: Executor, seq: number): Promise<void> {
    const fresh = new InventoryIndexes();
    for (let after = ''; ;) {
      const rows = await liveAdvisoriesAfter(executor, after, PAGE);
      for (const row of rows) fresh.advisories.upsert(readOsvRecord(JSON.parse(row.record)));
      if (rows.length < PAGE) break;
      after = (rows[rows.length - 1] as { id: string }).id;
    }
    // Rows come ordered by SBOM: each run of one SBOM's rows is one owner's inventory.
    const group: { sbomId: string; assetId: string; orgId: string; refs: ComponentRef[] } = {
      sbomId: '',
      assetId: '',
      orgId: '',
      refs: [],
    };
    const flush = (): void => {
      if (group.sbomId !== '') fresh.setAssetInventory(group.assetId, group.orgId, group.sbomId, group.refs);
    };
    for (let after = { sbomId: '', idx: -1 }; ;) {
      const rows = await currentComponentsAfter(executor, after, PAGE);
      for (const row of rows) {
        if (group.sbomId !== row.sbom_id) {
          flush();
          Object.assign(group, { sbomId: row.sbom_id, assetId: row.asset_id, orgId: row.owner_org_id, refs: [] });
        }
        group.refs.push(toComponentRef(row));
      }
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1] as { sbom_id: string; idx: number };
      after = { sbomId: last.sbom_id, idx: last.idx };
    }
    flush();
    this.advisories = fresh.advisories;
    this.components = fresh.components;
    this.sbomOwners = fresh.sbomOwners;
    this.sbomOfAsset = fresh.sbomOfAsset;
    this.seq = seq;
  }
}

export function toComponentRef(row: { ecosystem: string | null; package_name: string | null; version: string | null }): ComponentRef {
  return { ecosystem: row.ecosystem ?? '', name: row.package_name ?? '', version: row.version };
}

const byDatabase = new WeakMap<Database, InventoryIndexes>();

/** This process's indexes for a database handle (built on the first {@link InventoryIndexes.refresh}). */
export function indexesOf(db: Database): InventoryIndexes {
  let indexes = byDatabase.get(db);
  if (indexes === undefined) {
    indexes = new InventoryIndexes();
    byDatabase.set(db, indexes);
  }
  return indexes;
}

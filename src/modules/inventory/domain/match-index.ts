import { packageKey } from './package-name.js';
import { compileAdvisory, evaluatePrepared, prepareComponent, type AffectedVerdict, type CompiledAdvisory, type ComponentRef, type PreparedComponent } from './osv-evaluate.js';
import type { OsvRecord } from './osv-record.js';

/**
 * The in-memory match indexes (DESIGN §6: caches rebuilt from the database, never the source of truth).
 * Both are keyed by {@link packageKey} — ecosystem base and normalized name — so a lookup touches only the
 * advisories or components of one package, and advisories are compiled once when added.
 */

/** Verdicts worth reporting: affected, or undecidable (a reviewer should look). */
const reportable = (v: AffectedVerdict): boolean => v.status !== 'not-affected';

/** Advisories by package: "which advisories affect this component?" */
export class AdvisoryIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byId = new Map<string, { readonly advisory: CompiledAdvisory; readonly keys: readonly string[] }>();
  /** Advisories with entries that name no package (GIT-only): they can only match a component's commit. */
  private readonly commitOnly = new Set<string>();

  /** Adds or replaces an advisory (by id), compiling it. Withdrawn advisories are removed instead. */
  upsert(record: OsvRecord): void {
    this.upsertCompiled(compileAdvisory(record));
  }

  /** As {@link upsert}, for an advisory already compiled. */
  upsertCompiled(advisory: CompiledAdvisory): void {
    this.remove(advisory.id);
    if (advisory.withdrawn) return;
    const keys = [...new Set(advisory.affected.flatMap((a) => (a.key === null ? [] : [a.key])))];
    for (const key of keys) {
      const ids = this.byKey.get(key) ?? new Set<string>();
      ids.add(advisory.id);
      this.byKey.set(key, ids);
    }
    if (advisory.affected.some((a) => a.key === null)) this.commitOnly.add(advisory.id);
    this.byId.set(advisory.id, { advisory, keys });
  }

  /** Removes an advisory; returns whether it was there. */
  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    for (const key of entry.keys) {
      const ids = this.byKey.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.byKey.delete(key);
    }
    this.commitOnly.delete(id);
    this.byId.delete(id);
    return true;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): CompiledAdvisory | undefined {
    return this.byId.get(id)?.advisory;
  }

  /** The advisories that name the component's package (or could match its commit), unevaluated. */
  candidatesFor(component: ComponentRef): CompiledAdvisory[] {
    return this.candidatesByKey(packageKey(component.ecosystem, component.name), Boolean(component.commit));
  }

  private candidatesByKey(key: string, withCommit: boolean): CompiledAdvisory[] {
    const ids = new Set(this.byKey.get(key) ?? []);
    if (withCommit) for (const id of this.commitOnly) ids.add(id);
    return [...ids].map((id) => (this.byId.get(id) as { advisory: CompiledAdvisory }).advisory);
  }

  /** Affected and unknown verdicts for one component, by advisory id. */
  match(component: ComponentRef): AffectedVerdict[] {
    const prepared = prepareComponent(component);
    return this.candidatesByKey(prepared.key, Boolean(component.commit))
      .map((a) => evaluatePrepared(a, prepared))
      .filter(reportable)
      .sort((a, b) => (a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0));
  }
}

/** One component of one owner's inventory (an SBOM version of an asset, for instance). */
export interface IndexedComponent<Owner> {
  readonly owner: Owner;
  readonly component: ComponentRef;
}

/** Components by package: "which components does this advisory affect?" `Owner` is the caller's handle. */
export class ComponentIndex<Owner> {
  private readonly byKey = new Map<string, { readonly owner: Owner; readonly prepared: PreparedComponent }[]>();
  private readonly keysByOwner = new Map<Owner, Set<string>>();

  /** Adds an owner's components (call {@link removeOwner} first to replace them). */
  add(owner: Owner, components: readonly ComponentRef[]): void {
    const keys = this.keysByOwner.get(owner) ?? new Set<string>();
    for (const component of components) {
      const prepared = prepareComponent(component);
      const key = prepared.key;
      const list = this.byKey.get(key) ?? [];
      list.push({ owner, prepared });
      this.byKey.set(key, list);
      keys.add(key);
    }
    this.keysByOwner.set(owner, keys);
  }

  /** Drops every component of an owner; returns whether it had any. */
  removeOwner(owner: Owner): boolean {
    const keys = this.keysByOwner.get(owner);
    if (!keys) return false;
    for (const key of keys) {
      const rest = (this.byKey.get(key) ?? []).filter((c) => c.owner !== owner);
      if (rest.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, rest);
    }
    this.keysByOwner.delete(owner);
    return true;
  }

  get owners(): number {
    return this.keysByOwner.size;
  }

  /** Every indexed component the advisory affects (or cannot decide), with its verdict. */
  affectedBy(advisory: CompiledAdvisory): (IndexedComponent<Owner> & { readonly verdict: AffectedVerdict })[] {
    if (advisory.withdrawn) return [];
    const keys = new Set(advisory.affected.flatMap((a) => (a.key === null ? [] : [a.key])));
    const out: (IndexedComponent<Owner> & { verdict: AffectedVerdict })[] = [];
    for (const key of keys) {
      for (const entry of this.byKey.get(key) ?? []) {
        const verdict = evaluatePrepared(advisory, entry.prepared);
        if (reportable(verdict)) out.push({ owner: entry.owner, component: entry.prepared.ref, verdict });
      }
    }
    return out;
  }
}

import { packageKey } from './package-name.js';
import {
  compileAdvisory,
  evaluatePrepared,
  prepareComponent,
  type AffectedVerdict,
  type CompiledAdvisory,
  type ComponentRef,
  type PreparedComponent,
} from './osv-evaluate.js';
import type { ListedFacts } from './listed-versions.js';
import type { OsvRecord } from './osv-record.js';
import { PackageCandidates } from './package-candidates.js';
import { ParsedVersions } from './parsed-versions.js';

/**
 * The in-memory match indexes (DESIGN §6: caches rebuilt from the database, never the source of truth).
 * Both are keyed by {@link packageKey} — ecosystem base and normalized name — so a lookup touches only the
 * advisories or components of one package, and advisories are compiled once when added.
 */

/** Verdicts worth reporting: affected, or undecidable (a reviewer should look). */
const reportable = (v: AffectedVerdict): boolean => v.status !== 'not-affected';

/** One advisory held by the index: compiled, or (lazily) how to read its record until a lookup needs it. */
interface Held {
  read: LazyAdvisory | null;
  advisory: CompiledAdvisory | null;
  readonly keys: readonly string[];
}

/**
 * An advisory known by what indexing needs — the package keys its `affected` entries name — with its record
 * read only when a lookup reaches it (from a snapshot, say).
 */
export interface LazyAdvisory {
  readonly id: string;
  /** The {@link packageKey} of each package the affected entries name, each once, in the order named. */
  readonly keys: readonly string[];
  readonly withdrawn: boolean;
  /** Some affected entry names no package (GIT ranges only). */
  readonly unnamed: boolean;
  record(): OsvRecord;
  /** `listedFactsOf(record)`, when known (a snapshot keeps them): compiling then parses no listed version up front. */
  listedFacts?(): readonly ListedFacts[];
}

/** What {@link LazyAdvisory} says of a record. */
export function lazyAdvisoryOf(record: OsvRecord): LazyAdvisory {
  const affected = record.affected ?? [];
  return {
    id: record.id,
    keys: [...new Set(affected.flatMap((a) => (a.package ? [packageKey(a.package.ecosystem, a.package.name)] : [])))],
    withdrawn: record.withdrawn !== undefined,
    unnamed: affected.some((a) => !a.package),
    record: () => record,
  };
}

export interface AdvisoryIndexOptions {
  /**
   * Compile each advisory when a lookup first reaches it, not when it is added: a one-off match of one
   * SBOM (`clearinghouse match`) compiles only the advisories naming its packages. Same verdicts. Default
   * false: a long-lived index pays the compiling up front, not during the lookups it serves.
   */
  readonly lazy?: boolean;
  /**
   * The only package keys lookups will ask for (`clearinghouse match`: the SBOM's packages). Advisories added
   * lazily that name none of them (and none without a package) are not kept: lookups of these keys, and
   * commit lookups, answer as if they were. Default: every key.
   */
  readonly onlyKeys?: ReadonlySet<string>;
}

/** Advisories by package: "which advisories affect this component?" */
export class AdvisoryIndex {
  private readonly byKey = new Map<string, PackageCandidates>();
  private readonly byId = new Map<string, Held>();
  /** Lazily: advisories added but not yet compiled, by package key, in the order they were added. */
  private readonly pending = new Map<string, Set<string>>();
  /** Advisories with entries that name no package (GIT-only): they can only match a component's commit. */
  private readonly commitOnly = new Set<string>();
  /** Version strings parsed once for all the advisories here. */
  private readonly parsed = new ParsedVersions();
  private readonly lazy: boolean;
  private readonly onlyKeys: ReadonlySet<string> | null;

  constructor(options: AdvisoryIndexOptions = {}) {
    this.lazy = options.lazy ?? false;
    this.onlyKeys = options.onlyKeys ?? null;
  }

  /** Adds or replaces an advisory (by id), compiling it (lazily: when first needed). Withdrawn advisories are removed instead. */
  upsert(record: OsvRecord): void {
    if (this.lazy) this.upsertLazily(lazyAdvisoryOf(record));
    else this.upsertCompiled(compileAdvisory(record, this.parsed));
  }

  /** As {@link upsert}, its record read and compiled when a lookup first reaches it (whatever the index's mode). */
  upsertLazily(advisory: LazyAdvisory): void {
    this.remove(advisory.id);
    if (advisory.withdrawn) return;
    // The keys compiling computes: one per distinct package named.
    const keys = advisory.keys;
    // Removed above all the same: a later record of the same id replaces an earlier one that was kept.
    const only = this.onlyKeys;
    if (only !== null && !advisory.unnamed && !keys.some((key) => only.has(key))) return;
    for (const key of keys) {
      let ids = this.pending.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.pending.set(key, ids);
      }
      ids.add(advisory.id);
    }
    if (advisory.unnamed) this.commitOnly.add(advisory.id);
    this.byId.set(advisory.id, { read: advisory, advisory: null, keys });
  }

  /** As {@link upsert}, for an advisory already compiled. */
  upsertCompiled(advisory: CompiledAdvisory): void {
    this.remove(advisory.id);
    if (advisory.withdrawn) return;
    const keys = [...new Set(advisory.affected.flatMap((a) => (a.key === null ? [] : [a.key])))];
    for (const key of keys) this.candidatesOf(key).add(advisory);
    if (advisory.affected.some((a) => a.key === null)) this.commitOnly.add(advisory.id);
    this.byId.set(advisory.id, { read: null, advisory, keys });
  }

  private candidatesOf(key: string): PackageCandidates {
    let candidates = this.byKey.get(key);
    if (candidates === undefined) {
      candidates = new PackageCandidates(key);
      this.byKey.set(key, candidates);
    }
    return candidates;
  }

  private compiled(held: Held): CompiledAdvisory {
    if (held.advisory === null) {
      const lazy = held.read as LazyAdvisory;
      held.advisory = compileAdvisory(lazy.record(), this.parsed, lazy.listedFacts?.());
      held.read = null;
    }
    return held.advisory;
  }

  /** The package's candidates, its pending advisories compiled and added first. */
  private settled(key: string): PackageCandidates | undefined {
    const ids = this.pending.get(key);
    if (ids !== undefined) {
      this.pending.delete(key);
      const candidates = this.candidatesOf(key);
      for (const id of ids) candidates.add(this.compiled(this.byId.get(id) as Held));
    }
    return this.byKey.get(key);
  }

  /** Removes an advisory; returns whether it was there. */
  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    for (const key of entry.keys) {
      const candidates = this.byKey.get(key);
      candidates?.delete(id);
      if (candidates?.size === 0) this.byKey.delete(key);
      const ids = this.pending.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.pending.delete(key);
    }
    this.commitOnly.delete(id);
    this.byId.delete(id);
    return true;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): CompiledAdvisory | undefined {
    const held = this.byId.get(id);
    return held === undefined ? undefined : this.compiled(held);
  }

  /** The advisories that name the component's package (or could match its commit), unevaluated. */
  candidatesFor(component: ComponentRef): CompiledAdvisory[] {
    return this.candidates(prepareComponent(component), false);
  }

  /**
   * With `narrow`, only the advisories whose reach includes the component's version (see
   * PackageCandidates); without a usable version (none, unparseable, or a commit to check) all of them.
   */
  private candidates(prepared: PreparedComponent, narrow: boolean): CompiledAdvisory[] {
    const { ref } = prepared;
    const forKey = this.settled(prepared.key);
    let out: CompiledAdvisory[] = [];
    const order = forKey?.versionOrder ?? null;
    if (forKey !== undefined) {
      if (narrow && order !== null && !ref.commit && ref.version?.trim()) {
        // The parse is kept in the component's cache slot, where evaluation looks for it.
        if (prepared.lastOrder !== order) {
          prepared.lastParsed = order.parse(ref.version);
          prepared.lastOrder = order;
        }
        out = prepared.lastParsed === null ? [...forKey.every()] : forKey.reaching(prepared.lastParsed);
      } else {
        out = [...forKey.every()];
      }
    }
    if (ref.commit) for (const id of this.commitOnly) if (!forKey?.has(id)) out.push(this.compiled(this.byId.get(id) as Held));
    return out;
  }

  /** Affected and unknown verdicts for one component, by advisory id. */
  match(component: ComponentRef): AffectedVerdict[] {
    const prepared = prepareComponent(component);
    const out: AffectedVerdict[] = [];
    for (const advisory of this.candidates(prepared, true)) {
      const verdict = evaluatePrepared(advisory, prepared);
      if (reportable(verdict)) out.push(verdict);
    }
    return out.length < 2 ? out : out.sort((a, b) => (a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0));
  }
}

/** One component of one owner's inventory (an SBOM version of an asset, for instance). */
export interface IndexedComponent<Owner> {
  readonly owner: Owner;
  readonly component: ComponentRef;
}

/**
 * One distinct package version (ecosystem string, version and commit under one package key) and every owner
 * that has it. Operators share most of their packages, so a national portfolio of millions of components
 * holds far fewer distinct versions: each is prepared and evaluated once, however many owners it has.
 */
interface Slot<Owner> {
  readonly key: string;
  readonly slotKey: string;
  readonly prepared: PreparedComponent;
  readonly owners: Set<Owner>;
}

/**
 * Components by package: "which components does this advisory affect?" `Owner` is the caller's handle
 * (compared with `===`/SameValueZero, so use strings or numbers). Components of different owners with the
 * same ecosystem, package key, version and commit share one slot; the `component` reported for it is the
 * first one added (its name may be spelled differently from another owner's, under the same key).
 */
export class ComponentIndex<Owner> {
  private readonly byKey = new Map<string, Map<string, Slot<Owner>>>();
  private readonly slotsByOwner = new Map<Owner, Slot<Owner>[]>();

  /** Adds an owner's components (call {@link removeOwner} first to replace them). */
  add(owner: Owner, components: readonly ComponentRef[]): void {
    const slots = this.slotsByOwner.get(owner) ?? [];
    for (const component of components) {
      const key = packageKey(component.ecosystem, component.name);
      const slotKey = `${component.ecosystem}\u0000${component.version ?? ''}\u0000${component.commit ?? ''}`;
      let byVersion = this.byKey.get(key);
      if (byVersion === undefined) {
        byVersion = new Map();
        this.byKey.set(key, byVersion);
      }
      let slot = byVersion.get(slotKey);
      if (slot === undefined) {
        slot = { key, slotKey, prepared: prepareComponent(component), owners: new Set() };
        byVersion.set(slotKey, slot);
      }
      if (!slot.owners.has(owner)) {
        slot.owners.add(owner);
        slots.push(slot);
      }
    }
    this.slotsByOwner.set(owner, slots);
  }

  /** Drops every component of an owner; returns whether it had any. */
  removeOwner(owner: Owner): boolean {
    const slots = this.slotsByOwner.get(owner);
    if (!slots) return false;
    for (const slot of slots) {
      slot.owners.delete(owner);
      if (slot.owners.size > 0) continue;
      const byVersion = this.byKey.get(slot.key);
      byVersion?.delete(slot.slotKey);
      if (byVersion?.size === 0) this.byKey.delete(slot.key);
    }
    this.slotsByOwner.delete(owner);
    return true;
  }

  get owners(): number {
    return this.slotsByOwner.size;
  }

  /** Distinct package versions held, each evaluated once per advisory. */
  get distinctComponents(): number {
    let n = 0;
    for (const byVersion of this.byKey.values()) n += byVersion.size;
    return n;
  }

  /** Every indexed component the advisory affects (or cannot decide), with its verdict, once per owner. */
  affectedBy(advisory: CompiledAdvisory): (IndexedComponent<Owner> & { readonly verdict: AffectedVerdict })[] {
    if (advisory.withdrawn) return [];
    const keys = new Set(advisory.affected.flatMap((a) => (a.key === null ? [] : [a.key])));
    const out: (IndexedComponent<Owner> & { verdict: AffectedVerdict })[] = [];
    for (const key of keys) {
      for (const slot of this.byKey.get(key)?.values() ?? []) {
        const verdict = evaluatePrepared(advisory, slot.prepared);
        if (!reportable(verdict)) continue;
        for (const owner of slot.owners) out.push({ owner, component: slot.prepared.ref, verdict });
      }
    }
    return out;
  }
}

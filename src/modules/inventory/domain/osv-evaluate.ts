import { ecosystemCovers, parseEcosystem, type Ecosystem } from './ecosystem.js';
import { packageKey } from './package-name.js';
import type { OsvAffected, OsvRange, OsvRecord } from './osv-record.js';
import { compileRange, evaluateRange, type CompiledRange } from './osv-range.js';
import { ListedVersions, type ListedFacts } from './listed-versions.js';
import { ParsedVersions } from './parsed-versions.js';
import { versionOrderFor } from './version-order-registry.js';
import type { VersionOrder } from './version-order.js';

/**
 * Whether an OSV advisory affects one component, exactly as the OSV schema defines it: affected when the
 * version is listed in `versions[]` or falls inside any range of any `affected` entry naming the package.
 * Unlike osv-scanner it honours `limit`, evaluates every range (an unknown range type makes the answer
 * "unknown", it does not stop evaluation), and never calls a component without a version affected.
 */

/** What is known of a component, for matching. */
export interface ComponentRef {
  /** OSV ecosystem, optionally with a release ("Debian:11"). */
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string | null;
  /** A VCS commit the component was built from, for GIT ranges. */
  readonly commit?: string | null;
}

export type MatchStatus = 'affected' | 'not-affected' | 'unknown';
/** `exact`: an exact version order and a certain ecosystem; `low`: an unsure release. */
export type Confidence = 'exact' | 'low';

/** Why a component is affected: a `versions[]` entry, or a range and the interval inside it. */
export interface AffectedEvidence {
  readonly affectedIndex: number;
  readonly via: 'versions' | 'range';
  readonly rangeIndex?: number;
  readonly rangeType?: string;
  readonly introduced?: string;
  /** The `fixed` or `last_affected` event that closes the interval, if any. */
  readonly fixed?: string;
  readonly lastAffected?: string;
}

export interface AffectedVerdict {
  readonly advisoryId: string;
  readonly status: MatchStatus;
  readonly confidence: Confidence;
  readonly evidence: readonly AffectedEvidence[];
  /** Versions that fix it and are not themselves affected by the same entry, ascending. */
  readonly fixed: readonly string[];
  /** Why the answer is unknown, low confidence, or not affected for a reason worth saying. */
  readonly reasons: readonly string[];
}

export interface CompiledAffected {
  readonly index: number;
  readonly ecosystem: Ecosystem | null;
  /** packageKey of the named package, or null for an entry without `package` (GIT-only). */
  readonly key: string | null;
  readonly order: VersionOrder;
  /** `versions[]`, matched by spelling or as the order parses them (those it cannot, by spelling alone). */
  readonly listed: ListedVersions;
  readonly ranges: readonly CompiledRange[];
  /** GIT ranges, and ranges of types this code does not know, kept for their commits and their names. */
  readonly otherRanges: readonly (OsvRange & { readonly index: number })[];
}

/** An advisory with its ranges compiled once; build with {@link compileAdvisory}. */
export interface CompiledAdvisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly withdrawn: boolean;
  readonly affected: readonly CompiledAffected[];
}

function compileAffected(entry: OsvAffected, index: number, shared: ParsedVersions, facts: ListedFacts | undefined): CompiledAffected {
  const ecosystem = entry.package ? parseEcosystem(entry.package.ecosystem) : null;
  const order = versionOrderFor(entry.package?.ecosystem ?? '');
  const parse = (v: string): unknown => shared.parse(order, v);
  const ranges: CompiledRange[] = [];
  const otherRanges: (OsvRange & { index: number })[] = [];
  (entry.ranges ?? []).forEach((r, i) => {
    // The comparator comes from the ecosystem, not from the range type (OSV schema, "type" field).
    if (r.type === 'SEMVER' || r.type === 'ECOSYSTEM') ranges.push(compileRange(r, i, order, parse));
    else otherRanges.push({ ...r, index: i });
  });
  return {
    index,
    ecosystem,
    key: entry.package ? packageKey(entry.package.ecosystem, entry.package.name) : null,
    order,
    listed: new ListedVersions(order, entry.versions ?? [], parse, facts),
    ranges,
    otherRanges,
  };
}

/**
 * What compiling an advisory learns of each affected entry's `versions[]` (see {@link ListedFacts}), for a
 * cache to keep and hand back to {@link compileAdvisory}: it then parses no listed version until one is asked.
 */
export function listedFactsOf(record: OsvRecord): ListedFacts[] {
  return (record.affected ?? []).map((entry) =>
    new ListedVersions(versionOrderFor(entry.package?.ecosystem ?? ''), entry.versions ?? []).facts(),
  );
}

/**
 * Compiles an advisory's `affected` entries once, for evaluation against many components. An index passes
 * its {@link ParsedVersions} so that version strings common to many advisories are parsed and kept once;
 * `facts`, when given, must be {@link listedFactsOf} the same record (under this code's version orders).
 */
export function compileAdvisory(
  record: OsvRecord,
  shared: ParsedVersions = new ParsedVersions(),
  facts?: readonly ListedFacts[],
): CompiledAdvisory {
  return {
    id: record.id,
    aliases: record.aliases ?? [],
    withdrawn: record.withdrawn !== undefined,
    affected: (record.affected ?? []).map((entry, i) => compileAffected(entry, i, shared, facts?.[i])),
  };
}

interface EntryResult {
  status: MatchStatus;
  evidence: AffectedEvidence[];
  reasons: string[];
}

function evaluateOtherRanges(entry: CompiledAffected, component: ComponentRef, out: EntryResult): void {
  for (const r of entry.otherRanges) {
    if (r.type !== 'GIT') {
      out.reasons.push(`range ${r.index} has type ${r.type}, which this matcher does not evaluate`);
      if (out.status === 'not-affected') out.status = 'unknown';
      continue;
    }
    // GIT ranges need the commit graph; without a commit they do not apply to a component at all.
    if (!component.commit) continue;
    const hit = r.events.find((e) => e.introduced === component.commit || e.last_affected === component.commit);
    if (hit) {
      out.status = 'affected';
      out.evidence.push({
        affectedIndex: entry.index,
        via: 'range',
        rangeIndex: r.index,
        rangeType: 'GIT',
        introduced: hit.introduced ?? hit.last_affected ?? '',
      });
    } else if (!r.events.some((e) => e.fixed === component.commit || e.limit === component.commit)) {
      out.reasons.push(`commit ${component.commit} is not an event of GIT range ${r.index}; deciding needs the repository history`);
      if (out.status === 'not-affected') out.status = 'unknown';
    }
  }
}

/**
 * A component made ready for many evaluations: its package key and ecosystem computed once, and its
 * parsed version kept for the last version order used (a component is compared in one ecosystem, so one
 * slot serves, and costs no per-component map in a large index). Build with {@link prepareComponent}.
 */
export interface PreparedComponent {
  readonly ref: ComponentRef;
  readonly key: string;
  readonly ecosystem: Ecosystem;
  /** Cache slot, written by evaluation. */
  lastOrder: VersionOrder | null;
  lastParsed: unknown;
}

/** Prepares a component for {@link evaluatePrepared}; the match indexes do this once per component. */
export function prepareComponent(component: ComponentRef): PreparedComponent {
  return {
    ref: component,
    key: packageKey(component.ecosystem, component.name),
    ecosystem: parseEcosystem(component.ecosystem),
    lastOrder: null,
    lastParsed: null,
  };
}

function parsedVersion(c: PreparedComponent, order: VersionOrder, version: string): unknown {
  if (c.lastOrder !== order) {
    c.lastParsed = order.parse(version);
    c.lastOrder = order;
  }
  return c.lastParsed;
}

function listed(entry: CompiledAffected, version: string, parsed: unknown): boolean {
  if (entry.listed.hasSpelling(version)) return true;
  if (parsed === null) return false;
  // Equal under the order though spelled differently ("1.0" and "1.0.0" in PEP 440).
  return entry.listed.has(parsed);
}

function evaluateVersion(entry: CompiledAffected, version: string, parsed: unknown, out: EntryResult): void {
  const { order } = entry;
  if (listed(entry, version, parsed)) {
    out.status = 'affected';
    out.evidence.push({ affectedIndex: entry.index, via: 'versions' });
  }
  for (const range of entry.ranges) {
    if (!order.exact) {
      // No order is defined for the ecosystem: a range is undecidable, never a guessed match.
      if (out.status !== 'affected') out.status = 'unknown';
      out.reasons.push(`no version order is defined for ${entry.ecosystem?.base ?? 'this ecosystem'}; its ranges cannot be decided`);
      continue;
    }
    if (range.invalid !== null || parsed === null) {
      if (out.status !== 'affected') out.status = 'unknown';
      out.reasons.push(range.invalid ?? `version ${JSON.stringify(version)} is not a valid ${order.scheme} version`);
      continue;
    }
    const outcome = evaluateRange(range, parsed);
    if (!outcome.affected) continue;
    out.status = 'affected';
    const closing = outcome.closing;
    out.evidence.push({
      affectedIndex: entry.index,
      via: 'range',
      rangeIndex: range.index,
      rangeType: range.type,
      introduced: outcome.introduced.version,
      ...(closing?.kind === 'fixed' ? { fixed: closing.version } : {}),
      ...(closing?.kind === 'last_affected' ? { lastAffected: closing.version } : {}),
    });
  }
}

/** Fixed versions above the component's that the same entry does not itself call affected, with their parsed form. */
function upgradeTargets(entry: CompiledAffected, parsed: unknown): [string, unknown][] {
  if (parsed === null) return [];
  const candidates = new Map<string, unknown>();
  for (const r of entry.ranges) {
    for (const e of r.events) {
      if (e.kind === 'fixed' && e.parsed !== null && entry.order.compareParsed(e.parsed, parsed) > 0) candidates.set(e.version, e.parsed);
    }
  }
  return [...candidates].filter(
    ([v, p]) => !listed(entry, v, p) && !entry.ranges.some((r) => r.invalid === null && evaluateRange(r, p).affected),
  );
}

function covers(entry: CompiledAffected, c: PreparedComponent): 'yes' | 'maybe' | 'no' {
  if (entry.key === null || entry.ecosystem === null) return c.ref.commit ? 'yes' : 'no';
  if (entry.key !== c.key) return 'no';
  return ecosystemCovers(entry.ecosystem, c.ecosystem);
}

/**
 * Evaluates one advisory for one component. Never throws. Returns `affected` with the evidence and the
 * fixed versions to upgrade to; `not-affected` (also for withdrawn advisories and advisories that do
 * not name the package); or `unknown` with reasons: the component has no version, its version is not
 * valid in the ecosystem, a range's versions cannot be parsed, a range type is unknown, or a GIT range
 * needs history, or the ecosystem has no version order. Confidence is `low` when the advisory is scoped to
 * a distribution release the component does not state.
 */
export function evaluateAdvisory(advisory: CompiledAdvisory, component: ComponentRef): AffectedVerdict {
  return evaluatePrepared(advisory, prepareComponent(component));
}

function makeVerdict(
  advisoryId: string,
  status: MatchStatus,
  reasons: string[],
  evidence: AffectedEvidence[] = [],
  fixed: string[] = [],
  confidence: Confidence = 'exact',
): AffectedVerdict {
  // The same reason can come from several ranges; say it once.
  return { advisoryId, status, confidence, evidence, fixed, reasons: reasons.length < 2 ? reasons : [...new Set(reasons)] };
}

/** {@link evaluateAdvisory} for a component prepared once and evaluated against many advisories. */
export function evaluatePrepared(advisory: CompiledAdvisory, c: PreparedComponent): AffectedVerdict {
  if (advisory.withdrawn) return makeVerdict(advisory.id, 'not-affected', ['the advisory is withdrawn']);
  const version = c.ref.version?.trim() ? c.ref.version : null;
  const out: EntryResult = { status: 'not-affected', evidence: [], reasons: [] };
  let confidence: Confidence = 'exact';
  const fixed = new Map<string, unknown>();
  let fixedOrder: VersionOrder | null = null;
  let named = false;
  for (const entry of advisory.affected) {
    const coverage = covers(entry, c);
    if (coverage === 'no') continue;
    named = true;
    const before = out.evidence.length;
    evaluateOtherRanges(entry, c.ref, out);
    // An entry without a package (GIT ranges only) says nothing about version numbers.
    if (entry.key === null) continue;
    if (version === null) {
      if (entry.ranges.length > 0 || entry.listed.length > 0) {
        if (out.status !== 'affected') out.status = 'unknown';
        out.reasons.push('version unknown: the component states no version');
      }
      continue;
    }
    const parsed = parsedVersion(c, entry.order, version);
    evaluateVersion(entry, version, parsed, out);
    if (out.evidence.length > before) {
      for (const [v, p] of upgradeTargets(entry, parsed)) fixed.set(v, p);
      fixedOrder = entry.order;
      if (coverage === 'maybe') {
        confidence = 'low';
        out.reasons.push(
          `the advisory is scoped to ${entry.ecosystem?.base}:${entry.ecosystem?.suffix}; the component's release is not stated`,
        );
      }
    }
  }
  if (!named) return makeVerdict(advisory.id, 'not-affected', []);
  // Every entry that reached here has the component's package key, hence its ecosystem base and order:
  // the fixed versions sort by their parsed forms, without parsing them again.
  const order = fixedOrder;
  const sorted = order === null ? [] : [...fixed].sort(([, a], [, b]) => order.compareParsed(a, b)).map(([v]) => v);
  return makeVerdict(advisory.id, out.status, out.reasons, out.evidence, sorted, out.status === 'affected' ? confidence : 'exact');
}

/** Convenience: compiles and evaluates in one call (compile once with {@link compileAdvisory} for many). */
export function evaluateOsv(record: OsvRecord, component: ComponentRef): AffectedVerdict {
  return evaluateAdvisory(compileAdvisory(record), component);
}

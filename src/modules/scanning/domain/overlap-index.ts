import { appendTo } from '../../../platform/collections.js';
import type { CidrBlock } from './cidr.js';
import { conflictBetween, windowsOverlap, type CampaignConflict, type CampaignFootprint } from './campaign-conflicts.js';
import { properSuffixes } from './hostname.js';
import type { IpFamily } from './ip-address.js';
import type { ScanTarget } from './scan-target.js';
import { SortedChunks } from './sorted-chunks.js';
import type { Technique } from './techniques.js';

/**
 * Finds the registered campaigns a new one conflicts with without looking at the others: every target is
 * posted under the keys a conflicting target could look it up by — its identity (packages, repositories,
 * CPEs, products, host names), the DNS suffixes it lies below (host names and wildcards), and its position
 * among CIDR blocks. CIDR blocks are disjoint or nested, so the blocks overlapping one are its ancestors
 * (one map probe per prefix length in use) and its descendants (a contiguous run of a list sorted by first
 * address). Candidates are then confirmed by {@link conflictBetween}, the same definition the plain scan
 * uses, so the two agree by construction on everything the candidates include.
 */

interface Posting {
  readonly campaign: CampaignFootprint;
  readonly target: ScanTarget;
}

interface BlockPosting extends Posting {
  readonly block: CidrBlock;
}

function compareBlocks(a: BlockPosting, b: BlockPosting): number {
  return a.block.first < b.block.first ? -1 : a.block.first > b.block.first ? 1 : a.block.prefix - b.block.prefix;
}

class CidrPostings {
  /** prefix length → first address → postings. */
  readonly #byPrefix = new Map<number, Map<bigint, BlockPosting[]>>();
  readonly #sorted = new SortedChunks<BlockPosting>(compareBlocks);
  #prefixes: number[] = [];

  add(posting: BlockPosting): void {
    const { prefix, first } = posting.block;
    let byFirst = this.#byPrefix.get(prefix);
    if (byFirst === undefined) {
      byFirst = new Map();
      this.#byPrefix.set(prefix, byFirst);
      this.#prefixes = [...this.#byPrefix.keys()].sort((a, b) => a - b);
    }
    appendTo(byFirst, first, posting);
    this.#sorted.insert(posting);
  }

  remove(posting: BlockPosting): void {
    const byFirst = this.#byPrefix.get(posting.block.prefix);
    const list = byFirst?.get(posting.block.first);
    if (byFirst === undefined || list === undefined) return;
    const rest = list.filter((p) => p.campaign.id !== posting.campaign.id);
    if (rest.length > 0) byFirst.set(posting.block.first, rest);
    else byFirst.delete(posting.block.first);
    this.#sorted.remove(posting, (p) => p.campaign.id === posting.campaign.id);
  }

  /** Calls `visit` with every posting whose block overlaps `block`. */
  forEachOverlapping(block: CidrBlock, bits: number, visit: (posting: Posting) => void): void {
    for (const prefix of this.#prefixes) {
      if (prefix > block.prefix) break;
      const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
      const list = this.#byPrefix.get(prefix)?.get(block.first & mask);
      if (list !== undefined) for (const p of list) visit(p);
    }
    // Below the block: a contiguous run of the list sorted by first address, after the block itself.
    const probe: BlockPosting = { campaign: undefined as never, target: undefined as never, block: { ...block, prefix: block.prefix + 1 } };
    this.#sorted.forEachFrom(probe, (p) => p.block.first <= block.last, visit);
  }
}

/**
 * Software targets conflict only under the same technique (two active loads matter on live systems only),
 * so their postings are filed per technique: a probe reads only its own technique's list.
 */
function softwareKey(technique: Technique, key: string): string {
  return `${technique} ${key}`;
}

const BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

export class CampaignOverlapIndex {
  readonly #campaigns = new Map<string, CampaignFootprint>();
  /** Technique and identity → postings of software targets; identity → postings of host names (not wildcards). */
  readonly #byKey = new Map<string, Posting[]>();
  /** Wildcard base name → postings. */
  readonly #wildcards = new Map<string, Posting[]>();
  /** DNS suffix → host postings (names and wildcards) strictly below it. */
  readonly #below = new Map<string, Posting[]>();
  readonly #cidrs: Record<IpFamily, CidrPostings> = { 4: new CidrPostings(), 6: new CidrPostings() };

  get size(): number {
    return this.#campaigns.size;
  }

  has(id: string): boolean {
    return this.#campaigns.has(id);
  }

  /** Adds or replaces a campaign. */
  add(campaign: CampaignFootprint): void {
    if (this.#campaigns.has(campaign.id)) this.remove(campaign.id);
    this.#campaigns.set(campaign.id, campaign);
    for (const target of campaign.targets) this.#post({ campaign, target }, 'add');
  }

  remove(id: string): void {
    const campaign = this.#campaigns.get(id);
    if (campaign === undefined) return;
    this.#campaigns.delete(id);
    for (const target of campaign.targets) this.#post({ campaign, target }, 'remove');
  }

  #post(posting: Posting, op: 'add' | 'remove'): void {
    const { target } = posting;
    const file = (map: Map<string, Posting[]>, key: string): void => {
      const list = map.get(key);
      if (op === 'add') {
        if (list === undefined) map.set(key, [posting]);
        else list.push(posting);
        return;
      }
      if (list === undefined) return;
      const next = list.filter((p) => p.campaign.id !== posting.campaign.id);
      if (next.length > 0) map.set(key, next);
      else map.delete(key);
    };
    if (target.kind === 'cidr') {
      const block: BlockPosting = { ...posting, block: target.block };
      if (op === 'add') this.#cidrs[target.block.family].add(block);
      else this.#cidrs[target.block.family].remove(block);
      return;
    }
    if (target.kind === 'hostname') {
      if (target.host.wildcard) file(this.#wildcards, target.host.name);
      else file(this.#byKey, target.key);
      for (const suffix of properSuffixes(target.host.name)) file(this.#below, suffix);
      if (target.host.wildcard) file(this.#below, target.host.name);
      return;
    }
    file(this.#byKey, softwareKey(posting.campaign.technique, target.key));
  }

  #forEachCandidate(target: ScanTarget, technique: Technique, visit: (posting: Posting) => void): void {
    const each = (list: readonly Posting[] | undefined): void => {
      if (list !== undefined) for (const p of list) visit(p);
    };
    if (target.kind === 'cidr') {
      this.#cidrs[target.block.family].forEachOverlapping(target.block, BITS[target.block.family], visit);
      return;
    }
    if (target.kind === 'hostname') {
      const { name, wildcard } = target.host;
      if (wildcard) {
        each(this.#wildcards.get(name));
        each(this.#below.get(name));
      } else {
        each(this.#byKey.get(target.key));
      }
      for (const suffix of properSuffixes(name)) each(this.#wildcards.get(suffix));
      return;
    }
    each(this.#byKey.get(softwareKey(technique, target.key)));
  }

  /** The registered campaigns the given one conflicts with (itself excluded), each once. */
  conflictsWith(campaign: CampaignFootprint): CampaignConflict[] {
    const seen = new Set<string>();
    const out: CampaignConflict[] = [];
    for (const target of campaign.targets) {
      this.#forEachCandidate(target, campaign.technique, ({ campaign: other }) => {
        if (other.id === campaign.id || seen.has(other.id)) return;
        if (other.technique !== campaign.technique && !(other.active && campaign.active)) return;
        if (!windowsOverlap(campaign.window, other.window)) return;
        seen.add(other.id);
        const conflict = conflictBetween(campaign, other);
        if (conflict !== null) out.push(conflict);
      });
    }
    return out;
  }
}

import { FAMILY_BITS, formatIpAddress, readIpAddress, type IpFamily } from './ip-address.js';

/**
 * CIDR blocks of IPv4 and IPv6 addresses (RFC 4632, RFC 4291 §2.3). Two blocks are either disjoint or one
 * contains the other, which the overlap index relies on. Adjacent blocks (10.0.0.0/25 and 10.0.0.128/25)
 * share no address and do not overlap.
 */
export interface CidrBlock {
  readonly family: IpFamily;
  readonly prefix: number;
  /** First and last address of the block, inclusive. */
  readonly first: bigint;
  readonly last: bigint;
  /** Canonical text: `10.0.0.0/24`, `2001:db8::/32` (RFC 5952). */
  readonly text: string;
}

export type CidrReadResult = { readonly ok: true; readonly block: CidrBlock } | { readonly ok: false; readonly reason: string };

const PREFIX = /^(?:0|[1-9]\d{0,2})$/;
const MAPPED_V4 = 0xffff00000000n;

export function blockOf(family: IpFamily, first: bigint, prefix: number): CidrBlock {
  const bits = BigInt(FAMILY_BITS[family] - prefix);
  const last = first | ((1n << bits) - 1n);
  return { family, prefix, first, last, text: `${formatIpAddress({ family, value: first })}/${prefix}` };
}

/**
 * Reads `address/prefix` or a single address (a /32 or /128). Host bits below the prefix are refused, with
 * the block that was probably meant, rather than silently widened or narrowed. IPv4-mapped IPv6 blocks
 * (`::ffff:10.0.0.0/104`) are read as the IPv4 block they map, so both spellings of one network compare equal.
 */
export function readCidr(text: string): CidrReadResult {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const address = readIpAddress(addressText);
  if (address === null) return { ok: false, reason: `${JSON.stringify(addressText)} is not an IPv4 or IPv6 address` };
  const bits = FAMILY_BITS[address.family];
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!PREFIX.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, reason: `prefix length ${JSON.stringify(prefixText)} must be a whole number from 0 to ${bits}` };
    }
    prefix = Number(prefixText);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((address.value & hostMask) !== 0n) {
    const network = blockOf(address.family, address.value & ~hostMask, prefix);
    return { ok: false, reason: `${trimmed} has host bits set below /${prefix}; the network is ${network.text}` };
  }
  if (address.family === 6 && prefix >= 96 && address.value >> 32n === MAPPED_V4 >> 32n) {
    return { ok: true, block: blockOf(4, address.value & 0xffffffffn, prefix - 96) };
  }
  return { ok: true, block: blockOf(address.family, address.value, prefix) };
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: CidrBlock, b: CidrBlock): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: CidrBlock, inner: CidrBlock): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the union of `blocks` holds every address of `block` (adjacent blocks together may). */
export function cidrCoveredBy(block: CidrBlock, blocks: readonly CidrBlock[]): boolean {
  const same = blocks.filter((b) => cidrsOverlap(b, block)).sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  let next = block.first;
  for (const b of same) {
    if (b.first > next) return false;
    if (b.last >= next) {
      if (b.last >= block.last) return true;
      next = b.last + 1n;
    }
  }
  return false;
}

/**
 * The block's bounds as fixed-width text (`4:0a000000`, `6:` + 32 hex digits) whose code-unit order is
 * address order, so a database compares ranges with plain text comparisons on every dialect.
 */
export function cidrSortKeys(block: CidrBlock): { readonly low: string; readonly high: string } {
  const width = FAMILY_BITS[block.family] / 4;
  const hex = (v: bigint): string => `${block.family}:${v.toString(16).padStart(width, '0')}`;
  return { low: hex(block.first), high: hex(block.last) };
}

import { cidrContains, formatIp, parseCidr, type Cidr, type IpAddress } from './ip-address.js';

/**
 * Where an address leads, for deciding whether the server may connect to it on a tenant's behalf (SSRF).
 * Only `public` destinations are reachable unless a coordinator admin allow-listed the address.
 * Addresses that carry an IPv4 address inside IPv6 (IPv4-mapped, NAT64, 6to4) are judged by the IPv4
 * address they reach.
 */
export type AddressClass =
  'public' | 'private' | 'shared' | 'loopback' | 'link_local' | 'unspecified' | 'multicast' | 'broadcast' | 'documentation' | 'reserved';

interface Block {
  readonly cidr: Cidr;
  readonly text: string;
  readonly class: AddressClass;
  /** Where the embedded IPv4 address starts in the IPv6 bytes, for blocks that carry one. */
  readonly embeddedIpv4At?: number;
}

function block(text: string, cls: AddressClass, embeddedIpv4At?: number): Block {
  const cidr = parseCidr(text);
  if (cidr === null) throw new Error(`bad block ${text}`);
  return embeddedIpv4At === undefined ? { cidr, text, class: cls } : { cidr, text, class: cls, embeddedIpv4At };
}

// IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and later), plus multicast and the
// deprecated site-local block; most specific first where blocks nest.
const IPV4_BLOCKS: readonly Block[] = [
  block('0.0.0.0/8', 'unspecified'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'shared'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link_local'),
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'reserved'),
  block('192.0.2.0/24', 'documentation'),
  block('192.31.196.0/24', 'reserved'),
  block('192.52.193.0/24', 'reserved'),
  block('192.88.99.0/24', 'reserved'),
  block('192.168.0.0/16', 'private'),
  block('192.175.48.0/24', 'reserved'),
  block('198.18.0.0/15', 'reserved'),
  block('198.51.100.0/24', 'documentation'),
  block('203.0.113.0/24', 'documentation'),
  block('224.0.0.0/4', 'multicast'),
  block('255.255.255.255/32', 'broadcast'),
  block('240.0.0.0/4', 'reserved'),
];

const IPV6_BLOCKS: readonly Block[] = [
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('::ffff:0:0/96', 'public', 12),
  block('::ffff:0:0:0/96', 'reserved'),
  block('::/96', 'reserved'),
  block('64:ff9b::/96', 'public', 12),
  block('64:ff9b:1::/48', 'private'),
  block('100::/64', 'reserved'),
  block('2001:db8::/32', 'documentation'),
  block('2001::/23', 'reserved'),
  block('2002::/16', 'public', 2),
  block('3fff::/20', 'documentation'),
  block('5f00::/16', 'reserved'),
  block('fc00::/7', 'private'),
  block('fe80::/10', 'link_local'),
  block('fec0::/10', 'private'),
  block('ff00::/8', 'multicast'),
  // Everything outside global unicast (2000::/3) is unassigned or special.
  block('2000::/3', 'public'),
  block('::/0', 'reserved'),
];

export interface AddressClassification {
  readonly class: AddressClass;
  /** The address as classified: the embedded IPv4 address for IPv4-mapped, NAT64 and 6to4 addresses. */
  readonly effective: IpAddress;
  /** The special-purpose block that decided, e.g. `127.0.0.0/8`; null for public IPv4. */
  readonly block: string | null;
}

export function classifyAddress(address: IpAddress): AddressClassification {
  if (address.version === 4) {
    const hit = IPV4_BLOCKS.find((b) => cidrContains(b.cidr, address));
    return { class: hit?.class ?? 'public', effective: address, block: hit?.text ?? null };
  }
  const hit = IPV6_BLOCKS.find((b) => cidrContains(b.cidr, address)) as Block;
  if (hit.embeddedIpv4At !== undefined) {
    const inner = classifyAddress({ version: 4, bytes: address.bytes.slice(hit.embeddedIpv4At, hit.embeddedIpv4At + 4) });
    return { ...inner, block: inner.block === null ? hit.text : `${hit.text} → ${inner.block}` };
  }
  return { class: hit.class, effective: address, block: hit.text };
}

/** Whether a coordinator admin's allow-list admits the address (judged, like the class, by its effective address). */
export function allowListed(address: IpAddress, allowList: readonly Cidr[]): boolean {
  const { effective } = classifyAddress(address);
  return allowList.some((cidr) => cidrContains(cidr, effective) || cidrContains(cidr, address));
}

export type DestinationVerdict =
  | { readonly allowed: true; readonly class: AddressClass; readonly allowListed: boolean }
  | { readonly allowed: false; readonly class: AddressClass; readonly reason: string };

// Cloud instance-metadata services hand out credentials: refused even inside an allow-listed range.
const METADATA_SERVICES: readonly Cidr[] = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254'].map(
  (text) => parseCidr(text) as Cidr,
);

/**
 * The one rule: public addresses are reachable; anything else only when allow-listed; cloud metadata
 * services never.
 */
export function judgeDestination(address: IpAddress, allowList: readonly Cidr[]): DestinationVerdict {
  const c = classifyAddress(address);
  if (METADATA_SERVICES.some((m) => cidrContains(m, c.effective))) {
    return { allowed: false, class: c.class, reason: `${formatIp(address)} is a cloud metadata service, never a webhook destination` };
  }
  const listed = allowListed(address, allowList);
  if (c.class === 'public' || listed) return { allowed: true, class: c.class, allowListed: listed };
  const via = c.effective === address ? '' : ` (reaching ${formatIp(c.effective)})`;
  return {
    allowed: false,
    class: c.class,
    reason: `${formatIp(address)}${via} is a ${c.class.replace('_', '-')} address (${c.block}); a coordinator admin may allow-list it`,
  };
}

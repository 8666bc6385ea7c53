/**
 * IP addresses as bytes, read from their text forms without the operating system: IPv4 dotted decimal
 * (four parts, 0–255, no leading zeros — the canonical form a WHATWG URL parser writes, so a host like
 * `0177.0.0.1` or `2130706433` is read only after `new URL()` normalized it) and IPv6 (RFC 4291 §2.2, with
 * `::` and a dotted IPv4 tail; no zone index).
 */
export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

const IPV4_PART = /^(0|[1-9]\d{0,2})$/;

export function parseIpv4(text: string): IpAddress | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!IPV4_PART.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return { version: 4, bytes };
}

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return null;
    out.push(parseInt(group, 16));
  }
  return out;
}

export function parseIpv6(text: string): IpAddress | null {
  if (text.length > 45 || text.length < 2) return null;
  let body = text;
  let tail: Uint8Array | null = null;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = v4.bytes;
    // Keep the colon before the tail when it belongs to a `::`.
    body = body.slice(0, body.endsWith('::', lastColon + 1) ? lastColon + 1 : lastColon);
    if (body === '') return null;
  }
  const groupsWanted = tail === null ? 8 : 6;
  const halves = body.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string);
    const rest = parseGroups(halves[1] as string);
    if (head === null || rest === null || head.length + rest.length > groupsWanted - 1) return null;
    groups = [...head, ...new Array<number>(groupsWanted - head.length - rest.length).fill(0), ...rest];
  } else {
    const all = parseGroups(body);
    if (all === null || all.length !== groupsWanted) return null;
    groups = all;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  if (tail !== null) bytes.set(tail, 12);
  return { version: 6, bytes };
}

/** Either version; brackets around an IPv6 literal (as in a URL's host) are accepted. */
export function parseIp(text: string): IpAddress | null {
  if (text.startsWith('[') && text.endsWith(']')) return parseIpv6(text.slice(1, -1));
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** A CIDR block such as `10.0.0.0/8` or `fe80::/10`. */
export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | null {
  const slash = text.lastIndexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === null) return null;
  const max = address.version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) return null;
  return { address, prefix: Number(prefixText) };
}

/** Whether `address` lies in `cidr` (same version only). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.address.version !== address.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.address.bytes[i] as number) & mask) !== ((address.bytes[i] as number) & mask)) return false;
  }
  return true;
}

/** Canonical text: dotted decimal, or RFC 5952 IPv6 (lower case, the longest run of zero groups as `::`). */
export function formatIp(address: IpAddress): string {
  const b = address.bytes;
  if (address.version === 4) return Array.from(b).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The block with its host bits cleared, written canonically: `127.0.0.1/8` is `127.0.0.0/8`. */
export function formatCidr(cidr: Cidr): string {
  const bytes = Uint8Array.from(cidr.address.bytes, (b, i) => {
    const bits = cidr.prefix - i * 8;
    return bits >= 8 ? b : bits <= 0 ? 0 : b & ((0xff << (8 - bits)) & 0xff);
  });
  return `${formatIp({ version: cidr.address.version, bytes })}/${cidr.prefix}`;
}

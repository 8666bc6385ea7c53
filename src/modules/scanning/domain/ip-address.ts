/**
 * IPv4 and IPv6 addresses as integers, read strictly (RFC 4291 §2.2 text forms, dotted-quad IPv4 without
 * leading zeros, no zone ids) and written canonically (RFC 5952 for IPv6). Pure: no `node:net`.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export const FAMILY_BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** A dotted-quad IPv4 address, or null. Octets in 0–255 without leading zeros (which some readers take as octal). */
export function readIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** An IPv6 address in any RFC 4291 text form (`::` once, a trailing dotted quad allowed), or null. */
export function readIpv6(text: string): bigint | null {
  if (text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = wordsOf(halves[0] ?? '', !compressed);
  const tail = compressed ? wordsOf(halves[1] ?? '', true) : [];
  if (head === null || tail === null) return null;
  const count = head.length + tail.length;
  if (compressed ? count > 7 : count !== 8) return null;
  let value = 0n;
  for (const w of [...head, ...new Array<number>(8 - count).fill(0), ...tail]) value = (value << 16n) | BigInt(w);
  return value;
}

/** The 16-bit words of `a:b:c` ("" is none); a dotted quad may end the part that ends the address. */
function wordsOf(part: string, endsAddress: boolean): number[] | null {
  if (part === '') return [];
  const groups = part.split(':');
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as string;
    if (endsAddress && i === groups.length - 1 && group.includes('.')) {
      const v4 = readIpv4(group);
      if (v4 === null) return null;
      words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return null;
    }
  }
  return words;
}

/** An address of either family, or null. */
export function readIpAddress(text: string): IpAddress | null {
  if (text.includes(':')) {
    const v6 = readIpv6(text);
    return v6 === null ? null : { family: 6, value: v6 };
  }
  const v4 = readIpv4(text);
  return v4 === null ? null : { family: 4, value: v4 };
}

/** Dotted quad. */
export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the first on a tie) as `::`. */
export function formatIpv6(value: bigint): string {
  const words: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) words.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIpAddress(address: IpAddress): string {
  return address.family === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}

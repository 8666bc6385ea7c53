import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { cidrContains, formatCidr, formatIp, parseCidr, parseIp, parseIpv4, parseIpv6, type Cidr, type IpAddress } from './ip-address.js';

// Oracles: Node's own address parser (net.isIP), the WHATWG URL serializer for IPv6 text (RFC 5952
// compression) and net.BlockList for prefix membership — independent implementations of the same rules.

const random = seededRandom(20260602);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function randomAddress(version: 4 | 6): IpAddress {
  const bytes = new Uint8Array(version === 4 ? 4 : 16);
  for (let i = 0; i < bytes.length; i++) bytes[i] = random() < 0.4 ? 0 : Math.floor(random() * 256);
  return { version, bytes };
}

function mutate(text: string): string {
  const alphabet = '0123456789abcdefABCDEF:.[]%x -/';
  const chars = [...text];
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    const op = random();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, pick([...alphabet]));
    else chars.splice(at, 1, pick([...alphabet]));
  }
  return chars.join('');
}

describe('IP address parsing', () => {
  it('reads the text forms Node reads, and nothing else (seeded fuzz against net.isIP)', () => {
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const version: 4 | 6 = random() < 0.5 ? 4 : 6;
      const base = version === 4 ? formatIp(randomAddress(4)) : new URL(`http://[${formatIp(randomAddress(6))}]`).hostname.slice(1, -1);
      const text = random() < 0.3 ? base : mutate(base);
      const ours = parseIp(text);
      // The one deliberate difference: Node accepts an IPv6 zone index ("fe80::1%eth0"); a URL host cannot carry one.
      const nodeVersion = text.includes('%') ? 0 : isIP(text);
      if (nodeVersion === 0) expect(ours, text).toBeNull();
      else {
        expect(ours?.version, text).toBe(nodeVersion);
        accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(2500);
  });

  it('reads the forms of RFC 4291 §2.2', () => {
    const hex = (a: IpAddress | null) => (a === null ? null : Buffer.from(a.bytes).toString('hex'));
    expect(hex(parseIpv6('::'))).toBe('0'.repeat(32));
    expect(hex(parseIpv6('::1'))).toBe(`${'0'.repeat(31)}1`);
    expect(hex(parseIpv6('2001:DB8:0:0:8:800:200C:417A'))).toBe('20010db8000000000008080020 0c417a'.replace(' ', ''));
    expect(hex(parseIpv6('FF01::101'))).toBe('ff010000000000000000000000000101');
    expect(hex(parseIpv6('::13.1.68.3'))).toBe('0000000000000000000000000d014403');
    expect(hex(parseIpv6('::FFFF:129.144.52.38'))).toBe('00000000000000000000ffff81903426');
    expect(hex(parseIpv6('0:0:0:0:0:ffff:127.0.0.1'))).toBe('00000000000000000000ffff7f000001');
    for (const bad of [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '::1.2.3',
      '::256.0.0.1',
      'fe80::1%eth0',
      '1:2:3:4:5:6:7::8:9',
    ]) {
      expect(parseIpv6(bad), bad).toBeNull();
    }
    for (const bad of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', '0x7f.0.0.1', '1.2.3.4 ', '']) expect(parseIpv4(bad), bad).toBeNull();
  });

  it('writes IPv6 as the WHATWG URL serializer does (RFC 5952)', () => {
    for (let i = 0; i < 1000; i++) {
      const a = randomAddress(6);
      const ours = formatIp(a);
      expect(`[${ours}]`).toBe(new URL(`http://[${ours}]`).hostname);
      expect(parseIpv6(ours)?.bytes).toEqual(a.bytes);
    }
  });

  it('decides prefix membership as net.BlockList does', () => {
    for (let i = 0; i < 3000; i++) {
      const version: 4 | 6 = random() < 0.5 ? 4 : 6;
      const max = version === 4 ? 32 : 128;
      const prefix = Math.floor(random() * (max + 1));
      const net = randomAddress(version);
      const address =
        random() < 0.5
          ? randomAddress(version)
          : { version, bytes: Uint8Array.from(net.bytes, (b, j) => (j * 8 >= prefix ? Math.floor(random() * 256) : b)) };
      const cidr = parseCidr(`${formatIp(net)}/${prefix}`);
      if (cidr === null) throw new Error('a formatted CIDR parses');
      const list = new BlockList();
      list.addSubnet(formatIp(net), prefix, version === 4 ? 'ipv4' : 'ipv6');
      expect(cidrContains(cidr, address), `${formatIp(address)} in ${formatIp(net)}/${prefix}`).toBe(
        list.check(formatIp(address), version === 4 ? 'ipv4' : 'ipv6'),
      );
    }
    expect(formatCidr(parseCidr('127.0.0.1/8') as Cidr)).toBe('127.0.0.0/8');
    expect(formatCidr(parseCidr('10.1.2.3/20') as Cidr)).toBe('10.1.0.0/20');
    expect(formatCidr(parseCidr('fe80::1:2/10') as Cidr)).toBe('fe80::/10');
    expect(formatCidr(parseCidr('::1') as Cidr)).toBe('::1/128');
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/08')).toBeNull();
    expect(parseCidr('::1')?.prefix).toBe(128);
  });
});

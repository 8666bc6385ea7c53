import { BlockList, SocketAddress, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { cidrContains, cidrCoveredBy, cidrSortKeys, cidrsOverlap, readCidr, type CidrBlock } from './cidr.js';
import { formatIpv6, readIpAddress, readIpv6 } from './ip-address.js';

function block(text: string): CidrBlock {
  const r = readCidr(text);
  if (!r.ok) throw new Error(r.reason);
  return r.block;
}

describe('readIpAddress', () => {
  it('accepts exactly what Node’s own reader accepts (random and malformed text forms)', () => {
    const random = seededRandom(17);
    const hex = (): string => Math.floor(random() * 0x10000).toString(16);
    const samples = ['::', '::1', '1::', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '1::2:3:4:5:6:7', '2001:DB8::A'];
    samples.push('1:2:3:4:5:6:7:8:9', '1::2::3', ':1::', '1:::2', '12345::', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04');
    samples.push('::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', 'g::1', '', ':', '1.2.3.4:', '::ffff:256.1.1.1', '0.0.0.0', '255.255.255.255');
    for (let i = 0; i < 400; i++) {
      const groups = Array.from({ length: 8 }, hex);
      const cut = Math.floor(random() * 8);
      const len = Math.floor(random() * (8 - cut));
      samples.push(len > 0 ? `${groups.slice(0, cut).join(':')}::${groups.slice(cut + len).join(':')}` : groups.join(':'));
      samples.push([0, 0, 0, 0].map(() => Math.floor(random() * 300)).join('.'));
    }
    for (const s of samples) expect(readIpAddress(s) !== null, s).toBe(isIP(s) !== 0);
  });

  it('refuses zone ids, which Node accepts: a scope names networks, not interfaces', () => {
    expect(isIP('fe80::1%eth0')).toBe(6);
    expect(readIpAddress('fe80::1%eth0')).toBeNull();
  });

  it('writes IPv6 canonically as RFC 5952 and Node (inet_ntop) do', () => {
    // RFC 5952 §4 examples.
    expect(formatIpv6(readIpv6('2001:0db8:0000:0000:0000:0000:0002:0001') as bigint)).toBe('2001:db8::2:1');
    expect(formatIpv6(readIpv6('2001:db8:0:1:1:1:1:1') as bigint)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(readIpv6('2001:db8:0:0:1:0:0:1') as bigint)).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(readIpv6('2001:db8::0:1') as bigint)).toBe('2001:db8::1');
    const random = seededRandom(5);
    for (let i = 0; i < 300; i++) {
      const words = Array.from({ length: 8 }, () => (random() < 0.5 ? 0 : Math.floor(random() * 0x10000)));
      const text = words.map((w) => w.toString(16)).join(':');
      const ours = formatIpv6(readIpv6(text) as bigint);
      const node = new SocketAddress({ address: text, family: 'ipv6' }).address;
      // inet_ntop writes IPv4-compatible and -mapped forms with a dotted quad; RFC 5952 §5 allows either.
      if (!node.includes('.')) expect(ours, text).toBe(node);
    }
  });
});

describe('readCidr', () => {
  it('reads blocks of both families, single addresses as /32 and /128', () => {
    expect(block('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn, text: '10.0.0.0/8' });
    expect(block('192.0.2.7').text).toBe('192.0.2.7/32');
    expect(block('2001:DB8:0::/32').text).toBe('2001:db8::/32');
    expect(block('2001:db8::1').text).toBe('2001:db8::1/128');
    expect(block('0.0.0.0/0').last).toBe(0xffffffffn);
  });

  it('reads IPv4-mapped IPv6 blocks as the IPv4 block', () => {
    expect(block('::ffff:10.1.0.0/112').text).toBe('10.1.0.0/16');
    expect(cidrsOverlap(block('::ffff:10.1.2.0/120'), block('10.1.0.0/16'))).toBe(true);
  });

  it('refuses host bits, naming the network meant, and bad prefixes', () => {
    expect(readCidr('10.0.0.5/24')).toEqual({ ok: false, reason: '10.0.0.5/24 has host bits set below /24; the network is 10.0.0.0/24' });
    expect(readCidr('2001:db8::1/32')).toMatchObject({ ok: false, reason: expect.stringContaining('the network is 2001:db8::/32') });
    for (const bad of ['10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/', '::/129', '10.0.0.0/-1', 'example.com/24']) {
      expect(readCidr(bad).ok, bad).toBe(false);
    }
  });
});

describe('CIDR overlap', () => {
  it('nested blocks overlap, adjacent and disjoint ones do not (IPv4)', () => {
    expect(cidrsOverlap(block('10.0.0.0/24'), block('10.0.0.128/25'))).toBe(true);
    expect(cidrsOverlap(block('10.0.0.0/25'), block('10.0.0.128/25'))).toBe(false);
    expect(cidrsOverlap(block('10.0.0.0/24'), block('10.0.1.0/24'))).toBe(false);
    expect(cidrsOverlap(block('10.0.0.255/32'), block('10.0.1.0/32'))).toBe(false);
    expect(cidrsOverlap(block('0.0.0.0/0'), block('203.0.113.9/32'))).toBe(true);
  });

  it('nested blocks overlap, adjacent and disjoint ones do not (IPv6), and families never mix', () => {
    expect(cidrsOverlap(block('2001:db8::/32'), block('2001:db8:ffff::/48'))).toBe(true);
    expect(cidrsOverlap(block('2001:db8::/33'), block('2001:db8:8000::/33'))).toBe(false);
    expect(cidrsOverlap(block('::/0'), block('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(block('2001:db8::/32'), block('2001:db8:1::/48'))).toBe(true);
    expect(cidrContains(block('2001:db8:1::/48'), block('2001:db8::/32'))).toBe(false);
  });

  it('agrees with Node’s BlockList on containment of random addresses', () => {
    const random = seededRandom(99);
    for (let i = 0; i < 200; i++) {
      const prefix = Math.floor(random() * 33);
      const network = Math.floor(random() * 2 ** 32);
      const first = BigInt(network) & (((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix));
      const b = block(`${[24n, 16n, 8n, 0n].map((s) => (first >> s) & 255n).join('.')}/${prefix}`);
      const list = new BlockList();
      list.addSubnet(b.text.split('/')[0] as string, prefix, 'ipv4');
      const probe = Math.floor(random() * 2 ** 32);
      const probeText = [24, 16, 8, 0].map((s) => (probe >>> s) & 255).join('.');
      expect(cidrsOverlap(b, block(probeText)), `${b.text} ∋ ${probeText}`).toBe(list.check(probeText, 'ipv4'));
    }
  });

  it('a union of adjacent blocks covers what none covers alone', () => {
    const halves = [block('10.0.0.0/25'), block('10.0.0.128/25')];
    expect(cidrCoveredBy(block('10.0.0.0/24'), halves)).toBe(true);
    expect(cidrCoveredBy(block('10.0.0.0/23'), halves)).toBe(false);
    expect(cidrCoveredBy(block('10.0.0.0/24'), [block('10.0.0.0/25'), block('10.0.0.192/26')])).toBe(false);
    expect(cidrCoveredBy(block('2001:db8::/48'), [block('2001:db8::/32')])).toBe(true);
  });

  it('sort keys order blocks as addresses, so a database can compare ranges as text', () => {
    const keys = ['9.255.255.255/32', '10.0.0.0/8', '10.0.0.0/32', '192.168.0.0/16'].map((t) => cidrSortKeys(block(t)));
    expect(keys.map((k) => k.low)).toEqual([...keys.map((k) => k.low)].sort());
    expect(cidrSortKeys(block('10.0.0.0/8'))).toEqual({ low: '4:0a000000', high: '4:0affffff' });
    expect(cidrSortKeys(block('::1/128')).low).toBe(`6:${'0'.repeat(31)}1`);
  });
});

import { describe, expect, it } from 'vitest';
import { classifyAddress, judgeDestination, type AddressClass } from './address-class.js';
import { parseCidr, parseIp, type Cidr } from './ip-address.js';

const ip = (text: string) => {
  const a = parseIp(text);
  if (a === null) throw new Error(`not an address: ${text}`);
  return a;
};
const cidrs = (...texts: string[]) => texts.map((t) => parseCidr(t) as Cidr);

// Expected classes from the IANA special-purpose registries (RFC 6890, 6598, 6052, 8215, 3056, 4193, 4291,
// 5737, 3849, 9637, 2544) and the cloud metadata addresses of PayloadsAllTheThings' SSRF page.
const CASES: [string, AddressClass][] = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['93.184.216.34', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.255.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'shared'],
  ['100.128.0.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'link_local'],
  ['192.0.0.192', 'reserved'],
  ['192.0.2.10', 'documentation'],
  ['198.18.0.1', 'reserved'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.251', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:a9fe:a9fe', 'link_local'],
  ['::ffff:8.8.8.8', 'public'],
  ['::ffff:10.0.0.1', 'private'],
  ['::127.0.0.1', 'reserved'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::808:808', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:c0a8:101::1', 'private'],
  ['2002:808:808::1', 'public'],
  ['2001::1', 'reserved'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['fc00::1', 'private'],
  ['fd00:ec2::254', 'private'],
  ['fe80::1', 'link_local'],
  ['febf::1', 'link_local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['100::1', 'reserved'],
  ['4000::1', 'reserved'],
];

describe('address classes for SSRF protection', () => {
  it.each(CASES)('%s is %s', (text, expected) => {
    expect(classifyAddress(ip(text)).class).toBe(expected);
  });

  it('judges IPv4-mapped, NAT64 and 6to4 addresses by the IPv4 address they reach', () => {
    expect(classifyAddress(ip('::ffff:127.0.0.1'))).toMatchObject({ effective: ip('127.0.0.1'), block: '::ffff:0:0/96 → 127.0.0.0/8' });
    expect(judgeDestination(ip('64:ff9b::a9fe:a9fe'), [])).toMatchObject({ allowed: false, class: 'link_local' });
  });

  it('refuses every non-public address unless a coordinator admin allow-listed it', () => {
    expect(judgeDestination(ip('8.8.8.8'), [])).toEqual({ allowed: true, class: 'public', allowListed: false });
    const refused = judgeDestination(ip('127.0.0.1'), []);
    expect(refused).toMatchObject({ allowed: false, class: 'loopback' });
    if (refused.allowed) throw new Error('unreachable');
    expect(refused.reason).toMatch(/127\.0\.0\.1 is a loopback address \(127\.0\.0\.0\/8\); a coordinator admin may allow-list it/);
    const loopback = cidrs('127.0.0.0/8', '::1');
    expect(judgeDestination(ip('127.0.0.1'), loopback)).toEqual({ allowed: true, class: 'loopback', allowListed: true });
    expect(judgeDestination(ip('::ffff:127.0.0.1'), loopback)).toMatchObject({ allowed: true, allowListed: true });
    expect(judgeDestination(ip('::1'), loopback)).toMatchObject({ allowed: true });
    expect(judgeDestination(ip('10.0.0.1'), loopback)).toMatchObject({ allowed: false, class: 'private' });
  });

  it('never lets a cloud metadata service through, even inside an allow-listed range', () => {
    const everything = cidrs('0.0.0.0/0', '::/0');
    for (const text of ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254', '::ffff:169.254.169.254']) {
      expect(judgeDestination(ip(text), everything), text).toMatchObject({ allowed: false });
    }
    expect(judgeDestination(ip('169.254.1.1'), everything)).toMatchObject({ allowed: true, allowListed: true });
  });
});

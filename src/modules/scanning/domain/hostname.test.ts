import { describe, expect, it } from 'vitest';
import { hostCovers, hostsOverlap, properSuffixes, readHostname, type HostPattern } from './hostname.js';

function host(text: string): HostPattern {
  const r = readHostname(text);
  if (!r.ok) throw new Error(r.reason);
  return r.host;
}

describe('readHostname', () => {
  it('lower-cases, drops the trailing dot and writes internationalized names as A-labels', () => {
    expect(host('Portal.Grid.Example.').text).toBe('portal.grid.example');
    expect(host('*.Grid.Example').text).toBe('*.grid.example');
    // UTS #46 / RFC 3492: "bücher.example" is "xn--bcher-kva.example".
    expect(host('bücher.example').text).toBe('xn--bcher-kva.example');
  });

  it('refuses IP literals, single labels, bad labels and inner wildcards, saying why', () => {
    expect(readHostname('10.0.0.1')).toMatchObject({ ok: false, reason: expect.stringContaining('CIDR') });
    expect(readHostname('scada01')).toMatchObject({ ok: false, reason: expect.stringContaining('fully qualified') });
    expect(readHostname('-bad.example').ok).toBe(false);
    expect(readHostname('a.*.example').ok).toBe(false);
    expect(readHostname('host.example:8080').ok).toBe(false);
    expect(readHostname(`${'a'.repeat(64)}.example`).ok).toBe(false);
    expect(readHostname('').ok).toBe(false);
  });
});

describe('host overlap', () => {
  it('a wildcard matches names below it at any depth, not its own base', () => {
    expect(hostsOverlap(host('*.grid.example'), host('scada.east.grid.example'))).toBe(true);
    expect(hostsOverlap(host('*.grid.example'), host('grid.example'))).toBe(false);
    expect(hostsOverlap(host('*.grid.example'), host('xgrid.example'))).toBe(false);
    expect(hostsOverlap(host('a.grid.example'), host('b.grid.example'))).toBe(false);
  });

  it('two wildcards overlap when one lies within the other', () => {
    expect(hostsOverlap(host('*.grid.example'), host('*.east.grid.example'))).toBe(true);
    expect(hostsOverlap(host('*.grid.example'), host('*.water.example'))).toBe(false);
  });

  it('coverage: what an operator declared holds the campaign’s name', () => {
    expect(hostCovers(host('*.grid.example'), host('*.east.grid.example'))).toBe(true);
    expect(hostCovers(host('*.east.grid.example'), host('*.grid.example'))).toBe(false);
    expect(hostCovers(host('portal.grid.example'), host('portal.grid.example'))).toBe(true);
    expect(hostCovers(host('portal.grid.example'), host('*.portal.grid.example'))).toBe(false);
  });

  it('lists proper suffixes nearest first', () => {
    expect(properSuffixes('a.b.example')).toEqual(['b.example', 'example']);
  });
});

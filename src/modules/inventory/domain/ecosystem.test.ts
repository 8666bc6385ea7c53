import { describe, expect, it } from 'vitest';
import { ecosystemCovers, parseEcosystem } from './ecosystem.js';

describe('parseEcosystem', () => {
  it.each([
    ['PyPI', 'PyPI', null, true],
    ['pypi', 'PyPI', null, true],
    ['Debian:11', 'Debian', '11', true],
    ['Alpine:v3.16', 'Alpine', 'v3.16', true],
    ['Ubuntu:Pro:18.04:LTS', 'Ubuntu', 'Pro:18.04:LTS', true],
    ['Red Hat:rhel_aus:8.4::appstream', 'Red Hat', 'rhel_aus:8.4::appstream', true],
    ['Maven:https://maven.google.com', 'Maven', 'https://maven.google.com', true],
    ['Nonesuch', 'Nonesuch', null, false],
  ] as const)('%s', (input, base, suffix, known) => {
    expect(parseEcosystem(input)).toEqual({ base, suffix, known });
  });
});

describe('ecosystemCovers', () => {
  const covers = (a: string, c: string) => ecosystemCovers(parseEcosystem(a), parseEcosystem(c));

  it('requires the same base', () => {
    expect(covers('npm', 'PyPI')).toBe('no');
  });

  it('matches releases exactly when both sides name one', () => {
    expect(covers('Debian:11', 'Debian:11')).toBe('yes');
    expect(covers('Debian:11', 'Debian:12')).toBe('no');
  });

  it('is unsure when only the advisory names a release, sure when only the component does', () => {
    expect(covers('Debian:11', 'Debian')).toBe('maybe');
    expect(covers('Debian', 'Debian:11')).toBe('yes');
  });

  it("reads a Red Hat component's release as a prefix of the advisory's product-stream CPE", () => {
    expect(covers('Red Hat:enterprise_linux:9::appstream', 'Red Hat:enterprise_linux:9')).toBe('yes');
    expect(covers('Red Hat:enterprise_linux:9::baseos', 'Red Hat:enterprise_linux:9')).toBe('yes');
    expect(covers('Red Hat:enterprise_linux:8::appstream', 'Red Hat:enterprise_linux:9')).toBe('no');
    expect(covers('Red Hat:enterprise_linux:10::appstream', 'Red Hat:enterprise_linux:1')).toBe('no');
    expect(covers('Red Hat:rhel_eus:9.2::baseos', 'Red Hat:enterprise_linux:9')).toBe('no');
    // Only Red Hat's suffixes are CPEs: a Debian release is never a prefix of another.
    expect(covers('Debian:12:x', 'Debian:12')).toBe('no');
  });

  it('ignores repository suffixes', () => {
    expect(covers('Maven:https://maven.google.com', 'Maven')).toBe('yes');
  });
});

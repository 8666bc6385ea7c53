import { describe, expect, it } from 'vitest';
import { parsePurl } from '../../../platform/software/index.js';
import { evaluateOsv, type ComponentRef } from './osv-evaluate.js';
import type { OsvAffected, OsvRecord } from './osv-record.js';

function advisory(affected: OsvAffected[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id: 'TEST-1', affected, ...extra };
}

const pkg = (ecosystem: string, name = 'lib') => ({ ecosystem, name });
const at = (version: string | null, ecosystem = 'PyPI', name = 'lib', commit?: string): ComponentRef => ({
  ecosystem,
  name,
  version,
  ...(commit ? { commit } : {}),
});
const status = (record: OsvRecord, c: ComponentRef) => evaluateOsv(record, c).status;

describe('OSV events', () => {
  const basic = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.5' }] }] }]);

  it('introduced is inclusive, fixed exclusive', () => {
    expect(status(basic, at('0.9'))).toBe('not-affected');
    expect(status(basic, at('1.0'))).toBe('affected');
    expect(status(basic, at('1.4.9'))).toBe('affected');
    expect(status(basic, at('1.5'))).toBe('not-affected');
  });

  it('reports the matched range and the fixed version to upgrade to', () => {
    const v = evaluateOsv(basic, at('1.2'));
    expect(v.evidence).toEqual([
      { affectedIndex: 0, via: 'range', rangeIndex: 0, rangeType: 'ECOSYSTEM', introduced: '1.0', fixed: '1.5' },
    ]);
    expect(v.fixed).toEqual(['1.5']);
    expect(v.confidence).toBe('exact');
  });

  it('"0" introduces from the very beginning', () => {
    const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }]);
    expect(status(r, at('0.0.1.dev1'))).toBe('affected');
    expect(status(r, at('2.0'))).toBe('not-affected');
  });

  it('last_affected is inclusive and offers no fixed version', () => {
    const r = advisory([
      { package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.11.0' }] }] },
    ]);
    const v = evaluateOsv(r, at('1.11.0'));
    expect(v.status).toBe('affected');
    expect(v.evidence[0]?.lastAffected).toBe('1.11.0');
    expect(v.fixed).toEqual([]);
    expect(status(r, at('1.11.1'))).toBe('not-affected');
  });

  it('limit bounds the range from above, which osv-scanner ignores', () => {
    const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2.0' }] }] }]);
    expect(status(r, at('1.9'))).toBe('affected');
    expect(status(r, at('2.0'))).toBe('not-affected');
    expect(status(r, at('3.0'))).toBe('not-affected');
  });

  it('a limit of "*" is no limit, even beside another limit', () => {
    const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { limit: '*' }] }] }]);
    expect(status(r, at('99'))).toBe('affected');
    const both = advisory([
      { package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { limit: '2.0' }, { limit: '*' }] }] },
    ]);
    expect(status(both, at('3.0'))).toBe('affected');
  });

  it('several limits: below any of them is enough', () => {
    const r = advisory([
      { package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2.0' }, { limit: '3.0' }] }] },
    ]);
    expect(status(r, at('2.5'))).toBe('affected');
    expect(status(r, at('3.0'))).toBe('not-affected');
  });

  it('several intervals in one range, unsorted events', () => {
    const r = advisory([
      {
        package: pkg('crates.io'),
        ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.0.3' }, { introduced: '1.0.0' }, { fixed: '1.2.0' }] }],
      },
    ]);
    expect(['0.9.0', '1.0.0', '1.3.0', '2.0.2', '2.0.3'].map((v) => status(r, at(v, 'crates.io')))).toEqual([
      'not-affected',
      'affected',
      'not-affected',
      'affected',
      'not-affected',
    ]);
    expect(evaluateOsv(r, at('1.1.0', 'crates.io')).fixed).toEqual(['1.2.0', '2.0.3']);
  });

  it('introduced and fixed at the same version: not affected there', () => {
    const r = advisory([
      {
        package: pkg('PyPI'),
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }, { introduced: '1.0' }, { fixed: '1.0' }] }],
      },
    ]);
    expect(status(r, at('1.0'))).toBe('not-affected');
  });
});

describe('OSV affected entries', () => {
  it('a version is affected if any range of any entry says so', () => {
    const r = advisory([
      { package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] },
      {
        package: pkg('PyPI'),
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.1' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '3.0' }] },
        ],
      },
    ]);
    expect(['0.5', '1.5', '2.0', '2.1', '3.5'].map((v) => status(r, at(v)))).toEqual([
      'affected',
      'not-affected',
      'affected',
      'not-affected',
      'affected',
    ]);
  });

  it('versions[] alone decides when there are no ranges; equal spellings count', () => {
    const r = advisory([{ package: pkg('PyPI'), versions: ['1.0', '0.7.10p1'] }]);
    expect(status(r, at('1.0.0'))).toBe('affected');
    expect(status(r, at('0.7.10p1'))).toBe('affected');
    expect(status(r, at('1.1'))).toBe('not-affected');
  });

  it('does not offer a fixed version that another range of the entry still affects', () => {
    const r = advisory([
      {
        package: pkg('PyPI'),
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.1' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '1.1' }, { fixed: '1.3' }] },
        ],
      },
    ]);
    expect(evaluateOsv(r, at('1.0')).fixed).toEqual(['1.3']);
  });

  it('ignores withdrawn advisories', () => {
    const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }], {
      withdrawn: '2024-01-01T00:00:00Z',
    });
    const v = evaluateOsv(r, at('1.0'));
    expect(v.status).toBe('not-affected');
    expect(v.reasons).toEqual(['the advisory is withdrawn']);
  });

  it('matches names as the ecosystem normalizes them, and only in that ecosystem', () => {
    const r = advisory([{ package: pkg('PyPI', 'Friendly_Bard'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]);
    expect(status(r, at('1.0', 'PyPI', 'friendly-bard'))).toBe('affected');
    expect(status(r, at('1.0', 'npm', 'friendly-bard'))).toBe('not-affected');
  });
});

describe('comparator by ecosystem, not by range type', () => {
  it('orders a PyPI range labelled SEMVER by PEP 440', () => {
    const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0' }] }] }]);
    expect(status(r, at('1.0rc1'))).toBe('affected');
    expect(status(r, at('1.0.post1'))).toBe('not-affected');
  });

  it('orders Debian ranges by dpkg (tilde before release)', () => {
    const r = advisory([
      {
        package: pkg('Debian:12', 'openssl'),
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u1' }] }],
      },
    ]);
    expect(status(r, at('3.0.11-1~deb12u0', 'Debian:12', 'openssl'))).toBe('affected');
    expect(status(r, at('3.0.11-1', 'Debian:12', 'openssl'))).toBe('not-affected');
  });
});

describe('what cannot be decided is "unknown", never "affected"', () => {
  const r = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.0' }] }] }]);

  it('a component without a version', () => {
    const v = evaluateOsv(r, at(null));
    expect(v.status).toBe('unknown');
    expect(v.reasons[0]).toContain('version unknown');
  });

  it('a version the ecosystem does not accept', () => {
    expect(evaluateOsv(r, at('banana')).status).toBe('unknown');
  });

  it('a range whose own versions do not parse', () => {
    const bad = advisory([{ package: pkg('PyPI'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'x.y' }] }] }]);
    expect(evaluateOsv(bad, at('1.0')).reasons[0]).toContain('not valid PEP 440');
  });

  it('an unknown range type does not stop evaluation of the others', () => {
    const mixed = advisory([
      {
        package: pkg('PyPI'),
        ranges: [
          { type: 'FANCY', events: [{ introduced: '0' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }] },
        ],
      },
    ]);
    expect(status(mixed, at('1.5'))).toBe('affected');
    expect(status(mixed, at('0.5'))).toBe('unknown');
  });
});

describe('GIT ranges', () => {
  const r = advisory([
    {
      package: pkg('PyPI'),
      ranges: [{ type: 'GIT', repo: 'https://example.invalid/r', events: [{ introduced: 'aaa111' }, { fixed: 'bbb222' }] }],
    },
  ]);

  it('do not apply to a component without a commit', () => {
    expect(status(r, at('1.0'))).toBe('not-affected');
  });

  it('match a component built from an introducing commit', () => {
    expect(status(r, at('1.0', 'PyPI', 'lib', 'aaa111'))).toBe('affected');
    expect(status(r, at('1.0', 'PyPI', 'lib', 'bbb222'))).toBe('not-affected');
  });

  it('say "unknown" for other commits: that needs the repository history', () => {
    expect(status(r, at('1.0', 'PyPI', 'lib', 'ccc333'))).toBe('unknown');
  });
});

describe('confidence', () => {
  it('is low when the advisory names a release the component does not', () => {
    const r = advisory([
      {
        package: pkg('Debian:11', 'curl'),
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.74.0-1.3+deb11u2' }] }],
      },
    ]);
    expect(evaluateOsv(r, at('7.74.0-1.3', 'Debian', 'curl')).confidence).toBe('low');
    expect(evaluateOsv(r, at('7.74.0-1.3', 'Debian:11', 'curl')).confidence).toBe('exact');
    expect(status(r, at('7.74.0-1.3', 'Debian:12', 'curl'))).toBe('not-affected');
  });

  it("is exact for Packagist, by Composer's order", () => {
    const r = advisory([
      {
        package: pkg('Packagist', 'laravel/framework'),
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.22.4' }] }],
      },
    ]);
    const v = evaluateOsv(r, at('7.12.0', 'Packagist', 'Laravel/Framework'));
    expect([v.status, v.confidence]).toEqual(['affected', 'exact']);
    // Composer: a release candidate comes before its release (the generic guess ranked 1.0RC1 above 1.0).
    expect(status(r, at('7.22.4RC1', 'Packagist', 'laravel/framework'))).toBe('affected');
  });

  it('is unknown, never a guessed match, where the ecosystem has no order; a listed version still matches', () => {
    const r = advisory([
      {
        package: pkg('Android', 'platform/frameworks/base'),
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '14' }] }],
        versions: ['13'],
      },
    ]);
    const guessed = evaluateOsv(r, at('12', 'Android', 'platform/frameworks/base'));
    expect(guessed.status).toBe('unknown');
    expect(guessed.reasons.join(' ')).toContain('no version order is defined for Android');
    expect(status(r, at('13', 'Android', 'platform/frameworks/base'))).toBe('affected');
  });

  // opam and FreeBSD had no order ("unknown"): their ranges never matched.
  it("opam ranges by opam's order: a ~ pre-release comes before its release", () => {
    const r = advisory([{ package: pkg('opam', 'lwt'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.0' }] }] }]);
    expect([evaluateOsv(r, at('4.2', 'opam', 'lwt')).status, evaluateOsv(r, at('4.2', 'opam', 'lwt')).confidence]).toEqual([
      'affected',
      'exact',
    ]);
    expect(status(r, at('5.0~beta1', 'opam', 'lwt'))).toBe('affected');
    expect(status(r, at('5.0', 'opam', 'lwt'))).toBe('not-affected');
    expect(status(r, at('5.0-1', 'opam', 'lwt'))).toBe('not-affected');
  });

  it("FreeBSD ranges by pkg's order: PORTREVISION after the version, PORTEPOCH above both", () => {
    const r = advisory([
      { package: pkg('FreeBSD:ports', 'curl'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '8.4.0_1' }] }] },
    ]);
    expect(status(r, at('8.4.0', 'FreeBSD:ports', 'curl'))).toBe('affected');
    expect(status(r, at('8.4.0_1', 'FreeBSD:ports', 'curl'))).toBe('not-affected');
    expect(status(r, at('8.3.0_5', 'FreeBSD:ports', 'curl'))).toBe('affected');
    expect(status(r, at('7.0,1', 'FreeBSD:ports', 'curl'))).toBe('not-affected');
    // A base-system release string is not a pkg version: unknown, not a guess.
    expect(status(r, at('14.3-RELEASE-p2', 'FreeBSD:ports', 'curl'))).toBe('unknown');
  });
});

describe('entries without a package', () => {
  it('match only through a GIT commit, never through version numbers', () => {
    const r = advisory([
      { versions: ['1.0'], ranges: [{ type: 'GIT', repo: 'https://example.invalid/r', events: [{ introduced: 'aaa111' }] }] },
    ]);
    expect(status(r, at('1.0'))).toBe('not-affected');
    expect(status(r, at('1.0', 'PyPI', 'lib', 'aaa111'))).toBe('affected');
  });
});

describe('distribution releases from the purl', () => {
  // pkg:deb/ubuntu/...?distro=jammy was read as plain "Ubuntu" and matched a 20.04 advisory ("maybe", low).
  const component = (purl: string): ComponentRef => {
    const read = parsePurl(purl);
    if (!read.ok || read.value.ecosystem === null || read.value.version === null) throw new Error(purl);
    return { ecosystem: read.value.ecosystem, name: read.value.name, version: read.value.version };
  };
  const nginx = (ecosystem: string): OsvRecord =>
    advisory([{ package: pkg(ecosystem, 'nginx'), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.18.0-7' }] }] }]);

  it('never matches across releases, and matches its own exactly', () => {
    const jammy = component('pkg:deb/ubuntu/nginx@1.18.0-6ubuntu14?distro=jammy');
    expect(evaluateOsv(nginx('Ubuntu:20.04:LTS'), jammy).status).toBe('not-affected');
    expect([evaluateOsv(nginx('Ubuntu:22.04:LTS'), jammy).status, evaluateOsv(nginx('Ubuntu:22.04:LTS'), jammy).confidence]).toEqual([
      'affected',
      'exact',
    ]);
    const bookworm = component('pkg:deb/debian/nginx@1.18.0-6?distro=debian-12.4');
    expect(evaluateOsv(nginx('Debian:11'), bookworm).status).toBe('not-affected');
    expect(evaluateOsv(nginx('Debian:12'), bookworm).confidence).toBe('exact');
  });
});

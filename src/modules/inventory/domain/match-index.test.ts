import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, ComponentIndex, lazyAdvisoryOf } from './match-index.js';
import { compileAdvisory } from './osv-evaluate.js';
import type { OsvRecord } from './osv-record.js';
import { parseSbom } from './sbom-parse.js';
import { matchSbomAgainstAdvisories, sbomPackageKeys } from './sbom-match.js';

const osv = (
  id: string,
  ecosystem: string,
  name: string,
  introduced: string,
  fixed: string,
  extra: Partial<OsvRecord> = {},
): OsvRecord => ({
  id,
  aliases: [`CVE-${id}`],
  affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }] }],
  ...extra,
});

describe.each([
  ['compiled when added', false],
  ['compiled lazily, when a lookup reaches them', true],
])('AdvisoryIndex, advisories %s', (_mode, lazy) => {
  const index = new AdvisoryIndex({ lazy });
  index.upsert(osv('A-1', 'PyPI', 'Django', '0', '3.2.1'));
  index.upsert(osv('A-2', 'PyPI', 'django', '4.0', '4.0.2'));
  index.upsert(osv('A-3', 'npm', 'django', '0', '9'));

  it('answers only from the advisories of the normalized package', () => {
    expect(
      index
        .candidatesFor({ ecosystem: 'PyPI', name: 'DJANGO', version: '1.0' })
        .map((a) => a.id)
        .sort(),
    ).toEqual(['A-1', 'A-2']);
    expect(index.match({ ecosystem: 'PyPI', name: 'django', version: '3.2.0' }).map((v) => v.advisoryId)).toEqual(['A-1']);
    expect(index.match({ ecosystem: 'PyPI', name: 'django', version: '4.0.1' }).map((v) => v.advisoryId)).toEqual(['A-2']);
    expect(index.get('A-3')?.aliases).toEqual(['CVE-A-3']);
  });

  it('replaces an advisory on upsert and forgets it on remove or withdrawal', () => {
    const i = new AdvisoryIndex({ lazy });
    i.upsert(osv('B-1', 'PyPI', 'x', '0', '1.0'));
    i.upsert(osv('B-1', 'PyPI', 'y', '0', '1.0'));
    expect(i.candidatesFor({ ecosystem: 'PyPI', name: 'x', version: '0.5' })).toEqual([]);
    expect(i.match({ ecosystem: 'PyPI', name: 'y', version: '0.5' })).toHaveLength(1);
    i.upsert(osv('B-1', 'PyPI', 'y', '0', '1.0', { withdrawn: '2024-01-01T00:00:00Z' }));
    expect(i.size).toBe(0);
    expect(i.match({ ecosystem: 'PyPI', name: 'y', version: '0.5' })).toEqual([]);
    expect(i.remove('B-1')).toBe(false);
  });

  it('forgets an advisory removed before any lookup reached it, and takes the newest record of a replaced one', () => {
    const i = new AdvisoryIndex({ lazy });
    i.upsert(osv('C-1', 'PyPI', 'z', '0', '1.0'));
    i.upsert(osv('C-2', 'PyPI', 'z', '0', '2.0'));
    expect(i.remove('C-1')).toBe(true);
    expect(i.match({ ecosystem: 'PyPI', name: 'z', version: '0.5' }).map((v) => v.advisoryId)).toEqual(['C-2']);
    i.upsert(osv('C-2', 'PyPI', 'z', '0', '0.4'));
    expect(i.match({ ecosystem: 'PyPI', name: 'z', version: '0.5' })).toEqual([]);
    expect(i.match({ ecosystem: 'PyPI', name: 'z', version: '0.3' }).map((v) => v.fixed)).toEqual([['0.4']]);
  });

  it('matches an advisory that names no package (GIT ranges only) by commit', () => {
    const i = new AdvisoryIndex({ lazy });
    i.upsert({ id: 'G-1', affected: [{ ranges: [{ type: 'GIT', repo: 'https://git.example/r', events: [{ introduced: 'abc' }] }] }] });
    expect(i.match({ ecosystem: 'PyPI', name: 'anything', version: '1.0' })).toEqual([]);
    expect(i.match({ ecosystem: 'PyPI', name: 'anything', version: '1.0', commit: 'abc' }).map((v) => [v.advisoryId, v.status])).toEqual([
      ['G-1', 'affected'],
    ]);
  });
});

describe('AdvisoryIndex.upsertLazily', () => {
  it('reads an advisory only when a lookup reaches one of its packages, then once', () => {
    const reads: string[] = [];
    const i = new AdvisoryIndex();
    for (const r of [osv('L-1', 'PyPI', 'x', '0', '1.0'), osv('L-2', 'PyPI', 'y', '0', '1.0')])
      i.upsertLazily({ ...lazyAdvisoryOf(r), record: () => (reads.push(r.id), r) });
    expect(reads).toEqual([]);
    expect(i.match({ ecosystem: 'PyPI', name: 'X', version: '0.5' }).map((v) => v.advisoryId)).toEqual(['L-1']);
    expect(i.match({ ecosystem: 'PyPI', name: 'x', version: '0.6' }).map((v) => v.advisoryId)).toEqual(['L-1']);
    expect(reads).toEqual(['L-1']);
  });
});

describe("AdvisoryIndex onlyKeys (the SBOM's packages)", () => {
  it('keeps only the advisories naming a key looked up or no package, and answers those lookups as a full index', () => {
    const sbom = parseSbom(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components: [{ type: 'library', name: 'Django', version: '3.2.0', purl: 'pkg:pypi/Django@3.2.0' }],
      }),
    );
    const records = [
      osv('K-1', 'PyPI', 'django', '0', '3.2.1'),
      osv('K-2', 'PyPI', 'flask', '0', '9'),
      // Kept, then replaced by a record of the same id naming another package: gone, as in a full index.
      osv('K-3', 'PyPI', 'DJANGO', '0', '9'),
      osv('K-3', 'PyPI', 'flask', '0', '9'),
      { id: 'G-1', affected: [{ ranges: [{ type: 'GIT' as const, repo: 'https://git.example/r', events: [{ introduced: 'abc' }] }] }] },
    ];
    const full = new AdvisoryIndex({ lazy: true });
    const only = new AdvisoryIndex({ lazy: true, onlyKeys: sbomPackageKeys(sbom) });
    for (const r of records) {
      full.upsertLazily(lazyAdvisoryOf(r));
      only.upsertLazily(lazyAdvisoryOf(r));
    }
    expect(only.size).toBe(2);
    expect(matchSbomAgainstAdvisories(sbom, only)).toEqual(matchSbomAgainstAdvisories(sbom, full));
    expect(only.match({ ecosystem: 'PyPI', name: 'django', version: '1.0' }).map((v) => v.advisoryId)).toEqual(['K-1']);
    const withCommit = { ecosystem: 'PyPI', name: 'django', version: '1.0', commit: 'abc' };
    expect(only.match(withCommit).map((v) => v.advisoryId)).toContain('G-1');
    expect(only.match(withCommit)).toEqual(full.match(withCommit));
  });
});

describe('ComponentIndex (reverse matching)', () => {
  it('finds exactly the owners whose components a new advisory affects, across many owners', () => {
    const components = new ComponentIndex<string>();
    for (let op = 0; op < 200; op++) {
      components.add(`operator-${op}`, [
        { ecosystem: 'PyPI', name: 'django', version: `3.${op % 4}.0` },
        { ecosystem: 'npm', name: 'left-pad', version: '1.0.0' },
      ]);
    }
    const hits = components.affectedBy(compileAdvisory(osv('C-1', 'PyPI', 'Django', '3.1.0', '3.3.0')));
    // Versions 3.1.0 and 3.2.0 are affected: operators whose index mod 4 is 1 or 2, i.e. half of 200.
    expect(hits).toHaveLength(100);
    expect(hits.every((h) => ['3.1.0', '3.2.0'].includes(h.component.version as string))).toBe(true);
  });

  it("replaces an owner's inventory", () => {
    const components = new ComponentIndex<string>();
    components.add('op', [{ ecosystem: 'PyPI', name: 'django', version: '3.1.0' }]);
    components.removeOwner('op');
    components.add('op', [{ ecosystem: 'PyPI', name: 'django', version: '9.0' }]);
    expect(components.affectedBy(compileAdvisory(osv('C-2', 'PyPI', 'django', '0', '4.0')))).toEqual([]);
    expect(components.owners).toBe(1);
  });
});

describe('matchSbomAgainstAdvisories', () => {
  it('reports one entry per affected component × advisory, with the purl as written', () => {
    const index = new AdvisoryIndex();
    index.upsert(osv('PYSEC-X', 'PyPI', 'django', '0', '3.2.1'));
    const sbom = parseSbom(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components: [
          { type: 'library', name: 'Django', version: '3.2.0', purl: 'pkg:pypi/Django@3.2.0' },
          { type: 'library', name: 'django-new', version: '3.2.1', purl: 'pkg:pypi/django@3.2.1' },
          { type: 'library', name: 'nameless' },
        ],
      }),
    );
    const report = matchSbomAgainstAdvisories(sbom, index);
    expect(report.components).toBe(3);
    expect(report.matches.map((m) => [m.purl, m.advisory, m.aliases, m.fixed, m.confidence])).toEqual([
      ['pkg:pypi/Django@3.2.0', 'PYSEC-X', ['CVE-PYSEC-X'], ['3.2.1'], 'exact'],
    ]);
    expect(report.unmatched).toEqual([{ ref: 'component-3', name: 'nameless', reason: 'no purl or CPE' }]);
  });
});

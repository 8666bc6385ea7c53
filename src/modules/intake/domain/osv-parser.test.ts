import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';

const record = {
  schema_version: '1.6.0',
  id: 'GHSA-abcd-efgh-ijkm',
  modified: '2024-01-02T00:00:00Z',
  published: '2024-01-01T00:00:00Z',
  aliases: ['cve-2024-0001', 'PYSEC-2024-1'],
  related: ['CVE-2023-9999'],
  summary: 'Template injection in render()',
  details: 'Long text.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Jinja_Ext', purl: 'not a purl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.10' }] }],
      versions: ['1.0', '1.9'],
      ecosystem_specific: { imports: [{ path: 'jinja_ext.render', symbols: ['render'] }] },
      database_specific: { cwes: [{ cweId: 'CWE-1336' }] },
    },
    { ranges: [{ type: 'GIT', repo: 'https://github.com/org/tool', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }] },
  ],
  database_specific: { cwe_ids: ['CWE-94'], severity: 'HIGH' },
  references: [{ type: 'ADVISORY', url: 'https://example.org/a' }],
};

describe('OSV', () => {
  it('takes SwiftURL, CRAN and namespaced ConanCenter purls as package targets, without a warning', () => {
    const purls = ['pkg:swift/github.com/Alamofire/Alamofire', 'pkg:cran/A3', 'pkg:conan/bincrafters/cctz'];
    const ecosystems = ['SwiftURL', 'CRAN', 'ConanCenter'];
    const doc = {
      ...record,
      affected: purls.map((purl, i) => ({
        package: { ecosystem: ecosystems[i], name: purl.split('/').slice(1).join('/'), purl },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9' }] }],
      })),
    };
    const parsed = parseSubmission(JSON.stringify(doc));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.findings[0]?.targets.map((t) => t.identity)).toEqual(purls);
  });

  it('reads ids, aliases (not related), targets, ranges in their own semantics, CWEs and severities', () => {
    const parsed = parseSubmission(JSON.stringify(record));
    const [finding] = parsed.findings;
    expect(parsed).toMatchObject({ format: 'osv', formatVersion: '1.6.0', documentId: 'GHSA-abcd-efgh-ijkm', suggestedTlp: 'CLEAR' });
    expect(finding?.ref).toBe('');
    expect(finding?.aliases).toEqual([
      { id: 'GHSA-abcd-efgh-ijkm', source: 'record', pointer: '/id' },
      { id: 'CVE-2024-0001', source: 'alias', pointer: '/aliases/0' },
      { id: 'PYSEC-2024-1', source: 'alias', pointer: '/aliases/1' },
    ]);
    expect(finding?.targets.map((t) => t.identity)).toEqual(['pkg:pypi/jinja-ext', 'repo:github.com/org/tool']);
    expect(finding?.affected[0]?.ranges).toEqual([
      {
        scheme: 'osv',
        type: 'ECOSYSTEM',
        repo: null,
        events: [
          { kind: 'introduced', version: '0' },
          { kind: 'fixed', version: '1.10' },
        ],
      },
    ]);
    expect(finding?.affected[0]?.versions).toEqual(['1.0', '1.9']);
    expect(finding?.cwes).toEqual(['CWE-94', 'CWE-1336']);
    expect(finding?.severities).toEqual([
      { kind: 'cvss', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: null, source: 'osv' },
      { kind: 'qualitative', text: 'HIGH', source: 'osv:database_specific' },
    ]);
    expect(finding?.locations.map((l) => [l.function, l.symbol])).toEqual([['render', 'jinja_ext.render']]);
    expect(finding?.title).toBe('Template injection in render()');
  });

  it('falls back from an invalid purl to ecosystem and name, with a warning at the purl', () => {
    const parsed = parseSubmission(JSON.stringify(record));
    expect(parsed.warnings).toEqual([expect.objectContaining({ pointer: '/affected/0/package/purl' })]);
  });

  it('marks withdrawn records', () => {
    const [finding] = parseSubmission(JSON.stringify({ ...record, withdrawn: '2024-02-01T00:00:00Z' })).findings;
    expect(finding?.status).toBe('withdrawn');
    expect(finding?.dates.withdrawn).toBe('2024-02-01T00:00:00Z');
  });

  it('reads YAML, keeping version strings such as 1.10 intact', () => {
    const yaml =
      'id: PYSEC-2024-2\nmodified: 2024-01-02T00:00:00Z\naffected:\n- package:\n    ecosystem: PyPI\n    name: x\n  versions:\n  - 1.10\n';
    expect(parseSubmission(yaml).findings[0]?.affected[0]?.versions).toEqual(['1.10']);
  });

  it('warns about empty ranges (introduced and fixed at one version)', () => {
    const doc = {
      ...record,
      affected: [
        {
          package: { ecosystem: 'crates.io', name: 'c' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0.2.0' }, { fixed: '0.2.0' }] }],
        },
      ],
    };
    expect(parseSubmission(JSON.stringify(doc)).warnings.map((w) => w.pointer)).toEqual(['/affected/0/ranges/0/events']);
  });

  it('refuses schema violations with the pointer of the broken rule first', () => {
    const doc = {
      ...record,
      affected: [{ package: { ecosystem: 'PyPI', name: 'x' }, ranges: [{ type: 'BOGUS', events: [{ introduced: '0' }] }] }],
    };
    try {
      parseSubmission(JSON.stringify(doc));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0]?.pointer).toBe('/affected/0/ranges/0/type');
    }
  });

  it('ignores a GIT range that names a patch file instead of a commit, with a warning, and reads the rest', () => {
    const doc = {
      ...record,
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'x' },
          ranges: [
            { type: 'GIT', repo: 'https://x/y', events: [{ introduced: '0' }, { fixed: 'abc.patch' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] },
          ],
        },
      ],
    };
    const parsed = parseSubmission(JSON.stringify(doc));
    expect(parsed.warnings.map((w) => w.pointer)).toEqual(['/affected/0/ranges/0']);
    expect(parsed.findings[0]?.affected[0]?.ranges).toEqual([
      {
        scheme: 'osv',
        type: 'ECOSYSTEM',
        repo: null,
        events: [
          { kind: 'introduced', version: '0' },
          { kind: 'fixed', version: '1.0' },
        ],
      },
    ]);
  });

  it('refuses YAML for formats other than OSV', () => {
    expect(() => parseSubmission('version: "2.1.0"\nruns: []\n')).toThrow(/YAML is read for OSV records only/);
  });
});

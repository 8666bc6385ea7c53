import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { emptyFinding, type Finding } from './finding.js';
import { canonicalJson } from '../../../platform/hash.js';
import { FINGERPRINT_PREFIX, fingerprintFields, fingerprintFinding, fingerprintJson, type FingerprintFields } from './fingerprint.js';
import { parseSubmission } from './parse-submission.js';
import { packageTargetFromPurl } from './package-target.js';
import { repositoryTarget } from './targets.js';
import { arr, obj } from '../test-support/corpus.js';

const repo = repositoryTarget('https://github.com/example/app', 'abc1234');
if (repo === null) throw new Error('fixture');

function scanner(overrides: Partial<Finding> = {}): Finding {
  return {
    ...emptyFinding('sarif', '/runs/0/results/0'),
    targets: [repo as NonNullable<typeof repo>],
    rule: { id: 'js/sql-injection', name: null, family: 'js/sql-injection' },
    locations: [
      {
        path: 'src/db.js',
        startLine: 10,
        endLine: 10,
        startColumn: 3,
        function: null,
        symbol: null,
        lineHash: '5061c3315a741b7d:1',
        snippet: null,
      },
    ],
    title: 'SQL injection',
    description: 'Query built from user input on line 10.',
    provenance: { tool: { name: 'codeql', version: '2.15.0' }, model: null, aiGenerated: null, campaignId: null, publisher: null },
    ...overrides,
  };
}

const fp = (finding: Finding) => fingerprintFinding(finding)?.value;

describe('fingerprintFinding', () => {
  it('is a versioned SHA-256', () => {
    expect(fp(scanner())).toMatch(new RegExp(`^${FINGERPRINT_PREFIX}[0-9a-f]{64}$`));
  });

  it('ignores what drifts between runs: lines, columns, text, tool version, target commit, format', () => {
    const base = fp(scanner());
    const moved = scanner({
      locations: [
        {
          path: 'src/db.js',
          startLine: 42,
          endLine: 44,
          startColumn: 1,
          function: null,
          symbol: null,
          lineHash: '5061c3315a741b7d:1',
          snippet: 'x',
        },
      ],
      title: 'SQL injection (v2.16.0 wording)',
      description: 'Entirely rewritten.',
      targets: [repositoryTarget('https://github.com/example/app.git', 'fff0000') as NonNullable<typeof repo>],
      provenance: { tool: { name: 'codeql', version: '2.16.0' }, model: null, aiGenerated: null, campaignId: 'c', publisher: null },
    });
    expect(fp(moved)).toBe(base);
    expect(fp({ ...scanner(), format: 'native', ref: '/findings/0' })).toBe(base);
  });

  it('changes with the target, the path, the content anchor and the rule', () => {
    const base = fp(scanner());
    const other = repositoryTarget('https://github.com/example/other', null) as NonNullable<typeof repo>;
    expect(fp(scanner({ targets: [other] }))).not.toBe(base);
    const [loc] = scanner().locations;
    if (loc === undefined) throw new Error('fixture');
    expect(fp(scanner({ locations: [{ ...loc, path: 'src/other.js' }] }))).not.toBe(base);
    expect(fp(scanner({ locations: [{ ...loc, lineHash: '39fa2ee980eb94b0:1' }] }))).not.toBe(base);
    expect(fp(scanner({ rule: { id: 'js/xss', name: null, family: 'js/xss' } }))).not.toBe(base);
  });

  it('lets the CWE stand for the rule, so two tools with different rule ids agree', () => {
    const a = scanner({ cwes: ['CWE-89'], rule: { id: 'js/sql-injection', name: null, family: 'js/sql-injection' } });
    const b = scanner({ cwes: ['CWE-89'], rule: { id: 'SQLI-001', name: null, family: 'sqli-001' } });
    expect(fp(a)).toBe(fp(b));
    expect(fp(scanner({ cwes: ['CWE-79'] }))).not.toBe(fp(a));
  });

  it('falls back from the line hash to the function, then to the hashed snippet', () => {
    const loc = { path: 'src/db.js', startLine: 1, endLine: null, startColumn: null, symbol: null, lineHash: null };
    const byFunction = fingerprintFinding(scanner({ locations: [{ ...loc, function: 'query', snippet: 'a' }] }));
    expect(byFunction?.fields.location?.anchor).toEqual({ kind: 'function', value: 'query' });
    const bySnippet = fingerprintFinding(scanner({ locations: [{ ...loc, function: null, snippet: '  db.query( "x" +  y )\n' }] }));
    const sameSnippet = fingerprintFinding(
      scanner({ locations: [{ ...loc, startLine: 9, function: null, snippet: 'db.query( "x" + y )' }] }),
    );
    expect(bySnippet?.fields.location?.anchor?.kind).toBe('snippet');
    expect(bySnippet?.value).toBe(sameSnippet?.value);
  });

  it('has none when nothing tells findings apart', () => {
    expect(fingerprintFinding(scanner({ targets: [], locations: [] }))).toBeNull();
    const bare = {
      path: 'src/db.js',
      startLine: 3,
      endLine: null,
      startColumn: null,
      function: null,
      symbol: null,
      lineHash: null,
      snippet: null,
    };
    expect(fingerprintFinding(scanner({ rule: null, locations: [bare] }))).toBeNull();
  });

  it('keys advisories on the lowest CVE id and the targets, without CWE or location', () => {
    const target = packageTargetFromPurl('pkg:golang/github.com/gin-gonic/gin@v1.6.0') as NonNullable<
      ReturnType<typeof packageTargetFromPurl>
    >;
    const osv = {
      ...emptyFinding('osv', ''),
      targets: [target],
      cwes: ['CWE-117'],
      aliases: [
        { id: 'GO-2020-0001', source: 'record' as const, pointer: '/id' },
        { id: 'CVE-2020-36567', source: 'alias' as const, pointer: '/aliases/0' },
      ],
    };
    const cve = {
      ...emptyFinding('cve5', ''),
      targets: [packageTargetFromPurl('pkg:golang/github.com/gin-gonic/gin') as typeof target],
      aliases: [{ id: 'CVE-2020-36567', source: 'record' as const, pointer: '/cveMetadata/cveId' }],
    };
    expect(fingerprintFinding(osv)?.fields).toEqual({
      version: 2,
      targets: ['pkg:golang/github.com/gin-gonic/gin'],
      cwes: [],
      location: null,
      rule: 'CVE-2020-36567',
    });
    expect(fp(osv)).toBe(fp(cve));
    expect(fingerprintFinding({ ...osv, targets: [] })).toBeNull();
  });
});

describe('fingerprintJson', () => {
  it('is the canonical JSON of the fields, whatever they hold', () => {
    const anchor = { kind: 'snippet' as const, value: 'q"uote\\ \u00e9 \u2028 \ud83d\ude00' };
    const shapes: FingerprintFields[] = [
      { version: 2, targets: [], cwes: [], location: null, rule: null },
      { version: 2, targets: ['pkg:npm/a', 'repo:x "y"'], cwes: ['CWE-79', 'CWE-89'], location: { path: null, anchor: null }, rule: 'r' },
      { version: 2, targets: ['t'], cwes: [], location: { path: 'src/\u00fcber/a.js', anchor }, rule: 'GHSA-1234' },
      { version: 2, targets: ['\u0000\n'], cwes: ['CWE-1'], location: { path: 'p', anchor: null }, rule: null },
    ];
    for (const fields of shapes) expect(fingerprintJson(fields)).toBe(canonicalJson(fields));
  });
});

describeWithData('fingerprints of the real scanner and advisory corpora', 'sarif/sarif-sdk', () => {
  it('hash the canonical JSON of their fields, as defined', () => {
    const files = [
      ...readdirSync(sharedData('sarif'), { recursive: true, encoding: 'utf8' }).map((f) => sharedData('sarif', f)),
      ...readdirSync(sharedData('osv/crates-io/crates')).map((f) => sharedData('osv/crates-io/crates', f)),
    ].filter((f) => /\.(sarif|json|golden)$/.test(f) && !f.includes('invalid') && !f.includes('schema'));
    let checked = 0;
    for (const file of files) {
      let findings: readonly Finding[];
      try {
        findings = parseSubmission(readFileSync(file)).findings;
      } catch {
        continue;
      }
      for (const finding of findings) {
        const fields = fingerprintFields(finding);
        if (fields === null) continue;
        expect(fingerprintJson(fields)).toBe(canonicalJson(fields));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describeWithData('fingerprints of the real CodeQL inputs', 'sarif/codeql-action', () => {
  const dir = 'sarif/codeql-action/src/testdata';

  it('are equal for the same result reported by LGTM.com 1.24 and the CodeQL CLI 2.0 in valid-sarif.sarif', () => {
    const file = sharedData(dir, 'valid-sarif.sarif');
    const runs = arr(obj(JSON.parse(readFileSync(file, 'utf8')))['runs']);
    const result = (r: number, i: number) => obj(arr(obj(runs[r])['results'])[i]);
    const uri = (r: number, i: number) => obj(obj(obj(arr(result(r, i)['locations'])[0])['physicalLocation'])['artifactLocation'])['uri'];
    const hash = (r: number, i: number) => obj(result(r, i)['partialFingerprints'])['primaryLocationLineHash'];
    // Read from the file: the first result of each run is the same rule, file and line hash; the second differs.
    expect([result(0, 0)['ruleId'], uri(0, 0), hash(0, 0)]).toEqual([result(1, 0)['ruleId'], uri(1, 0), hash(1, 0)]);
    expect(hash(1, 1)).not.toBe(hash(0, 0));
    const [lgtm, cli, other] = parseSubmission(readFileSync(file)).findings.map(fp);
    expect(lgtm).toBeDefined();
    expect(cli).toBe(lgtm);
    expect(other).not.toBe(lgtm);
  });

  it('stay put when fingerprinting.input.sarif is re-run with moved lines and rewritten messages, and tell its two files apart', () => {
    const text = readFileSync(sharedData(dir, 'fingerprinting.input.sarif'), 'utf8');
    const first = parseSubmission(text).findings.map(fp);
    const rerun = JSON.parse(text) as { runs: { tool: { driver: { semanticVersion: string } }; results: Record<string, unknown>[] }[] };
    const run = rerun.runs[0];
    if (!run) throw new Error('fixture');
    run.tool.driver.semanticVersion = '2.1.0';
    for (const result of run.results) {
      result['message'] = { text: 'Unused variable (reworded).' };
      const physical = obj(obj(arr(result['locations'])[0])['physicalLocation']);
      physical['region'] = { startLine: 99 };
    }
    expect(parseSubmission(JSON.stringify(rerun)).findings.map(fp)).toEqual(first);
    // The second result names its file only by artifact index (testFile2.js), the first by URI (testFile1.js).
    expect(first[0]).not.toBe(first[1]);
    expect(parseSubmission(text).findings.map((f) => f.locations[0]?.path)).toEqual(['testFile1.js', 'testFile2.js']);
  });

  it('differ between the two fingerprinting inputs, which are different files and rules', () => {
    const a = parseSubmission(readFileSync(sharedData(dir, 'fingerprinting.input.sarif'))).findings.map(fp);
    const b = parseSubmission(readFileSync(sharedData(dir, 'fingerprinting2.input.sarif'))).findings.map(fp);
    expect(b).toHaveLength(1);
    expect(a).not.toContain(b[0]);
  });
});

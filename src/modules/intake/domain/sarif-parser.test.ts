import { describe, expect, it } from 'vitest';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';
import { repositoryTarget } from './targets.js';

/** A small SARIF 2.1.0 log written for these tests; each test varies one part of it. */
function log(run: Record<string, unknown>): string {
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'scanner', version: '1.2.3', rules: [] } }, ...run }] });
}

function location(artifactLocation: Record<string, unknown>, region: Record<string, unknown> = { startLine: 7 }) {
  return { physicalLocation: { artifactLocation, region } };
}

describe('SARIF paths', () => {
  it('resolves chained base ids, absolute URIs under a base, and artifacts given by index', () => {
    const doc = log({
      originalUriBaseIds: { REPO: { uri: 'file:///C:/work/repo/' }, SRC: { uri: 'src/', uriBaseId: 'REPO' } },
      artifacts: [{ location: { uri: 'lib/util%20s.c', uriBaseId: 'SRC' } }],
      results: [
        { message: { text: 'a' }, ruleId: 'r1', locations: [location({ uri: 'main.c', uriBaseId: 'SRC' })] },
        { message: { text: 'b' }, ruleId: 'r1', locations: [location({ uri: 'file:///c:/work/repo/include/x.h' })] },
        { message: { text: 'c' }, ruleId: 'r1', locations: [location({ index: 0 })] },
      ],
    });
    const parsed = parseSubmission(doc);
    expect(parsed.findings.map((f) => f.locations[0]?.path)).toEqual(['src/main.c', 'include/x.h', 'src/lib/util s.c']);
    expect(parsed.warnings).toEqual([]);
  });

  it('warns, with the pointer, about paths that are absolute outside every base or climb above it', () => {
    const parsed = parseSubmission(
      log({
        results: [
          { message: { text: 'a' }, ruleId: 'r', locations: [location({ uri: 'file:///etc/passwd' })] },
          { message: { text: 'b' }, ruleId: 'r', locations: [location({ uri: '../../x.c' })] },
        ],
      }),
    );
    expect(parsed.findings.map((f) => f.locations[0]?.path)).toEqual(['etc/passwd', 'x.c']);
    expect(parsed.warnings.map((w) => w.pointer)).toEqual([
      '/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri',
      '/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri',
    ]);
  });
});

describe('SARIF rules, CWEs and severity', () => {
  const run = {
    tool: {
      driver: {
        name: 'scanner',
        semanticVersion: '2.0.0',
        organization: 'Example',
        rules: [
          {
            id: 'js/sql-injection',
            name: 'SqlInjection',
            shortDescription: { text: 'Database query built from user-controlled sources' },
            messageStrings: { default: { text: 'Query depends on {0}.' } },
            defaultConfiguration: { level: 'error' },
            properties: { tags: ['security', 'external/cwe/cwe-089'], 'security-severity': '8.8' },
          },
        ],
      },
      extensions: [{ name: 'pack', rules: [{ id: 'EXT1', relationships: [{ target: { id: '22', toolComponent: { name: 'CWE' } } }] }] }],
    },
    taxonomies: [{ name: 'CWE', taxa: [{ id: '79' }] }],
    logicalLocations: [{ name: 'handler', fullyQualifiedName: 'app.handler', kind: 'function' }],
    results: [
      {
        ruleIndex: 0,
        message: { id: 'default', arguments: ['a user-provided value'] },
        taxa: [{ id: '79', toolComponent: { index: 0 } }],
        locations: [{ ...location({ uri: 'a.js' }), logicalLocations: [{ index: 0 }] }],
        partialFingerprints: { 'primaryLocationLineHash/v1': 'abc:1' },
        fingerprints: { 'stable/v1': 'f' },
      },
      { rule: { id: 'EXT1', index: 0, toolComponent: { index: 0 } }, message: { text: 'traversal' }, kind: 'fail' },
      { ruleId: 'unknown-rule', message: { text: 'passed' }, kind: 'pass' },
      { ruleId: 'CVE-2021-44228-log4j-core', message: { text: 'log4shell' } },
    ],
  };

  it('finds the rule by index, in extensions too, and fills message arguments', () => {
    const [first, second, third] = parseSubmission(JSON.stringify({ version: '2.1.0', runs: [run] })).findings;
    expect(first?.rule).toEqual({ id: 'js/sql-injection', name: 'SqlInjection', family: 'js/sql-injection' });
    expect(first?.title).toBe('Database query built from user-controlled sources');
    expect(first?.description).toBe('Query depends on a user-provided value.');
    expect(first?.provenance.tool).toEqual({ name: 'scanner', version: '2.0.0' });
    expect(first?.provenance.publisher).toBe('Example');
    expect(second?.rule?.id).toBe('EXT1');
    expect(third?.rule).toEqual({ id: 'unknown-rule', name: null, family: 'unknown-rule' });
  });

  it('collects CWEs from taxa, tags and rule relationships', () => {
    const [first, second] = parseSubmission(JSON.stringify({ version: '2.1.0', runs: [run] })).findings;
    expect(first?.cwes).toEqual(['CWE-79', 'CWE-89']);
    expect(second?.cwes).toEqual(['CWE-22']);
  });

  it('takes the level from the result, else the rule, else the SARIF default for the kind', () => {
    const findings = parseSubmission(JSON.stringify({ version: '2.1.0', runs: [run] })).findings;
    expect(findings[0]?.severities).toEqual([
      { kind: 'sarif-level', level: 'error', source: 'rule' },
      { kind: 'security-severity', score: 8.8, source: 'rule' },
    ]);
    expect(findings[1]?.severities).toEqual([{ kind: 'sarif-level', level: 'warning', source: 'default' }]);
    expect(findings[2]?.severities).toEqual([{ kind: 'sarif-level', level: 'none', source: 'default' }]);
  });

  it('keeps source fingerprints, reads the versioned line hash and the function from the run table', () => {
    const [first] = parseSubmission(JSON.stringify({ version: '2.1.0', runs: [run] })).findings;
    expect(first?.sourceFingerprints).toEqual({ partial: { 'primaryLocationLineHash/v1': 'abc:1' }, full: { 'stable/v1': 'f' } });
    expect(first?.locations[0]).toMatchObject({ path: 'a.js', startLine: 7, lineHash: 'abc:1', function: 'app.handler' });
  });

  it('reads a vulnerability id in a rule id as an alias', () => {
    const last = parseSubmission(JSON.stringify({ version: '2.1.0', runs: [run] })).findings[3];
    expect(last?.aliases).toEqual([{ id: 'CVE-2021-44228', source: 'rule', pointer: '/runs/0/results/3/ruleId' }]);
    expect(last?.rule?.family).toBe('CVE-2021-44228');
  });
});

describe('SARIF targets', () => {
  it('takes the repository from versionControlProvenance, and the default target only when there is none', () => {
    const fallback = repositoryTarget('https://example.org/team/app', 'abcdef1');
    if (fallback === null) throw new Error('fixture');
    const withVcs = log({
      versionControlProvenance: [{ repositoryUri: 'https://github.com/org/repo', revisionId: 'ABCDEF1' }],
      results: [{ message: { text: 'x' }, ruleId: 'r' }],
    });
    const without = log({ results: [{ message: { text: 'x' }, ruleId: 'r' }] });
    expect(parseSubmission(withVcs, { defaultTarget: fallback }).findings[0]?.targets.map((t) => t.identity)).toEqual([
      'repo:github.com/org/repo',
    ]);
    expect(parseSubmission(without, { defaultTarget: fallback }).findings[0]?.targets).toEqual([fallback]);
    expect(parseSubmission(without).findings[0]?.targets).toEqual([]);
  });
});

describe('SARIF refusals', () => {
  it('refuses other SARIF versions as unsupported', () => {
    expect(() => parseSubmission(JSON.stringify({ version: '2.0.0', runs: [] }))).toThrow(UnsupportedMediaTypeError);
  });

  it('names the pointer and the rule of a schema violation', () => {
    try {
      parseSubmission(log({ results: [{ message: { text: 'x' }, level: 'fatal' }] }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues).toContainEqual(expect.objectContaining({ pointer: '/runs/0/results/0/level' }));
      expect((error as InputError).message).toMatch(/^Not a valid SARIF 2\.1\.0 document: \/runs\/0\/results\/0\/level/);
    }
  });

  it('reads a log with no results as an empty answer', () => {
    expect(parseSubmission(log({})).findings).toEqual([]);
  });
});

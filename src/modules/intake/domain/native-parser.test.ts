import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { NATIVE_FINDINGS_SCHEMA, NATIVE_SCHEMA_MARKER } from './native-schema.js';
import { parseSubmission } from './parse-submission.js';

const pocHash = 'a'.repeat(64);

function doc(findings: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ schema: NATIVE_SCHEMA_MARKER, findings, ...extra });
}

const full = {
  id: 'scan-7/finding-1',
  target: { repository: { url: 'https://github.com/example/parser', commit: 'ABCDEF0123' } },
  title: 'Heap overflow in parse_header()',
  description: 'A crafted header overflows a fixed buffer.',
  aliases: ['cve-2026-0001'],
  ruleId: 'memory/overflow-v2.3.1',
  cwe: ['787', 'CWE-120'],
  affectedVersions: ['1.0.0', '1.1.0'],
  fixedVersions: ['1.2.0'],
  location: { path: 'src/./parser.c', function: 'parse_header', startLine: 120, endLine: 131 },
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  evidence: {
    proofOfConcept: [{ sha256: pocHash, name: 'poc.py' }],
    reproductionSteps: ['build', 'run poc.py'],
    affectedBuild: '1.1.0',
    fixedBuild: '1.2.0',
  },
  provenance: { model: { name: 'example-model', version: '2026-05' }, aiGenerated: true, campaignId: 'camp_1' },
  credit: { mode: 'named', name: 'A. Researcher' },
};

describe('native format', () => {
  it('reads every field of a finding', () => {
    const parsed = parseSubmission(doc([full]));
    expect(parsed).toMatchObject({ format: 'native', formatVersion: '1', suggestedTlp: 'AMBER' });
    const [finding] = parsed.findings;
    expect(finding).toMatchObject({
      ref: '/findings/0',
      title: 'Heap overflow in parse_header()',
      aliases: [{ id: 'CVE-2026-0001', source: 'alias', pointer: '/findings/0/aliases/0' }],
      targets: [{ kind: 'repository', commit: 'abcdef0123', identity: 'repo:github.com/example/parser' }],
      cwes: ['CWE-120', 'CWE-787'],
      rule: { id: 'memory/overflow-v2.3.1', family: 'memory/overflow-#' },
      locations: [{ path: 'src/parser.c', function: 'parse_header', startLine: 120, endLine: 131 }],
      severities: [{ kind: 'cvss', version: '4.0', source: 'native' }],
      evidence: {
        proofOfConcept: [{ sha256: pocHash, name: 'poc.py', mediaType: null }],
        reproductionSteps: ['build', 'run poc.py'],
        affectedBuild: '1.1.0',
        fixedBuild: '1.2.0',
      },
      provenance: { tool: null, model: { name: 'example-model', version: '2026-05' }, aiGenerated: true, campaignId: 'camp_1' },
      credit: { mode: 'named', name: 'A. Researcher', url: null },
    });
    expect(finding?.affected[0]).toMatchObject({ versions: ['1.0.0', '1.1.0'], fixedVersions: ['1.2.0'], source: 'native' });
  });

  it('applies document-level provenance and credit to findings that state none', () => {
    const minimal = { target: { purl: 'pkg:npm/left-pad@1.0.0' }, title: 'Prototype pollution' };
    const parsed = parseSubmission(doc([minimal, full], { provenance: { tool: { name: 'scanner' } }, credit: { mode: 'anonymous' } }));
    expect(parsed.findings[0]?.provenance.tool).toEqual({ name: 'scanner', version: null });
    expect(parsed.findings[0]?.credit).toEqual({ mode: 'anonymous', name: null, url: null });
    expect(parsed.findings[1]?.provenance.model?.name).toBe('example-model');
  });

  it('names every schema violation with its pointer', () => {
    try {
      parseSubmission(
        doc([
          { target: { purl: 'pkg:npm/x', cpe: 'cpe:/a:x:y' }, title: '' },
          { title: 'x', target: { cpe: 'cpe:/a:v:p' }, extra: 1 },
        ]),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const pointers = (error as InputError).issues.map((i) => i.pointer);
      expect(pointers).toEqual(expect.arrayContaining(['/findings/0/title', '/findings/0/target', '/findings/1']));
    }
  });

  it('checks meaning beyond the schema: purl, path, CPE and CVSS vector, all at once', () => {
    const bad = [
      { target: { purl: 'pkg:' }, title: 'a' },
      { target: { cpe: 'cpe:2.3:q:v:p' }, title: 'b', location: { path: '../etc/passwd' }, cvssVector: 'CVSS:3.1/garbage' },
      { target: { repository: { url: 'file:///srv/repo', commit: 'abcdef1' } }, title: 'c', location: { path: '/abs/path.c' } },
    ];
    try {
      parseSubmission(doc(bad));
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues.map((i) => i.pointer)).toEqual([
        '/findings/0/target/purl',
        '/findings/1/target/cpe',
        '/findings/1/location/path',
        '/findings/1/cvssVector',
        '/findings/2/target/repository/url',
        '/findings/2/location/path',
      ]);
    }
  });

  it('publishes a draft 2020-12 schema whose every property is described', () => {
    expect(NATIVE_FINDINGS_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const undocumented: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [name, child] of Object.entries(properties)) {
        if (typeof (child as { description?: unknown }).description !== 'string') undocumented.push(`${at}/${name}`);
        walk(child, `${at}/${name}`);
      }
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value, at);
    };
    walk(NATIVE_FINDINGS_SCHEMA, '');
    expect(undocumented).toEqual([]);
  });
});

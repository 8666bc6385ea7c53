import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';

const ORG = '8254265b-2729-46b6-b9e3-3dfca2d5bfca';
const CISA = '134c704f-9b21-4f2e-91b3-4a467353bcc0';

const cna = {
  providerMetadata: { orgId: ORG, shortName: 'example-cna' },
  title: 'Log injection in ginlike',
  descriptions: [
    { lang: 'fr', value: 'Injection de journaux.' },
    { lang: 'en', value: 'Unsanitized input in the logger allows log injection.' },
  ],
  affected: [
    {
      vendor: 'example',
      product: 'ginlike',
      collectionURL: 'https://pkg.go.dev',
      packageName: 'github.com/example/ginlike',
      programRoutines: [{ name: 'Logger' }],
      versions: [{ version: '0', lessThan: '1.6.0', status: 'affected', versionType: 'semver' }],
      defaultStatus: 'unaffected',
    },
    { vendor: 'n/a', product: 'n/a', versions: [{ version: 'n/a', status: 'affected' }] },
  ],
  problemTypes: [{ descriptions: [{ lang: 'en', description: 'CWE-117 Improper Output Neutralization for Logs' }] }],
  references: [{ url: 'https://example.org/fix' }],
};

const adp = {
  providerMetadata: { orgId: CISA, shortName: 'CISA-ADP' },
  title: 'CISA ADP Vulnrichment',
  metrics: [
    { cvssV3_1: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N', baseScore: 5.3, baseSeverity: 'MEDIUM' } },
    { other: { type: 'kev', content: { dateAdded: '2024-09-18', reference: 'https://www.cisa.gov/kev' } } },
    {
      other: {
        type: 'ssvc',
        content: {
          id: 'CVE-2024-1234',
          role: 'CISA Coordinator',
          version: '2.0.3',
          timestamp: '2024-09-18T18:07:57Z',
          options: [{ Exploitation: 'active' }, { Automatable: 'no' }],
        },
      },
    },
  ],
  affected: [
    {
      vendor: 'example',
      product: 'ginlike',
      cpes: ['cpe:2.3:a:example:ginlike:*:*:*:*:*:*:*:*'],
      versions: [{ version: '0', lessThan: '1.6.0', status: 'affected', versionType: 'custom' }],
    },
  ],
  problemTypes: [{ descriptions: [{ lang: 'en', type: 'CWE', cweId: 'CWE-74', description: 'CWE-74 Injection' }] }],
  references: [{ url: 'https://example.org/fix' }, { url: 'https://example.org/kev', tags: ['government-resource'] }],
};

function record(state: string, extra: Record<string, unknown> = {}) {
  return {
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: {
      cveId: 'CVE-2024-1234',
      assignerOrgId: ORG,
      assignerShortName: 'example-cna',
      state,
      datePublished: '2024-09-01T00:00:00',
      ...extra,
    },
    containers: { cna, adp: [adp] },
  };
}

describe('CVE JSON 5', () => {
  it('merges the CNA and ADP containers, naming the source of each severity and affected entry', () => {
    const parsed = parseSubmission(JSON.stringify(record('PUBLISHED')));
    const [finding] = parsed.findings;
    expect(parsed).toMatchObject({ format: 'cve5', formatVersion: '5.1', documentId: 'CVE-2024-1234', suggestedTlp: 'CLEAR' });
    expect(finding?.aliases).toEqual([{ id: 'CVE-2024-1234', source: 'record', pointer: '/cveMetadata/cveId' }]);
    expect(finding?.title).toBe('Log injection in ginlike');
    expect(finding?.description).toBe('Unsanitized input in the logger allows log injection.');
    expect(finding?.cwes).toEqual(['CWE-74', 'CWE-117']);
    expect(finding?.targets.map((t) => t.identity)).toEqual(['pkg:golang/github.com/example/ginlike', 'cpe:a:example:ginlike']);
    expect(finding?.affected.map((a) => [a.source, a.target?.identity ?? null])).toEqual([
      ['cna', 'pkg:golang/github.com/example/ginlike'],
      ['cna', null],
      ['adp:CISA-ADP', 'cpe:a:example:ginlike'],
    ]);
    expect(finding?.affected[0]?.ranges).toEqual([
      { scheme: 'cve5', status: 'affected', versionType: 'semver', version: '0', lessThan: '1.6.0', lessThanOrEqual: null, changes: [] },
    ]);
    expect(finding?.severities).toEqual([
      { kind: 'cvss', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N', baseScore: 5.3, source: 'adp:CISA-ADP' },
    ]);
    expect(finding?.enrichment).toEqual({
      kev: { dateAdded: '2024-09-18', reference: 'https://www.cisa.gov/kev', provider: 'adp:CISA-ADP' },
      ssvc: {
        role: 'CISA Coordinator',
        version: '2.0.3',
        timestamp: '2024-09-18T18:07:57Z',
        options: { Exploitation: 'active', Automatable: 'no' },
        provider: 'adp:CISA-ADP',
      },
    });
    expect(finding?.references.map((r) => r.url)).toEqual(['https://example.org/fix', 'https://example.org/kev']);
    expect(finding?.locations.map((l) => l.function)).toEqual(['Logger']);
    expect(finding?.provenance.publisher).toBe('example-cna');
  });

  it('refuses records that are not PUBLISHED, saying why', () => {
    const rejected = {
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: 'CVE-2024-1234', assignerOrgId: ORG, state: 'REJECTED', dateRejected: '2024-10-01T00:00:00Z' },
      containers: {
        cna: {
          providerMetadata: { orgId: ORG },
          rejectedReasons: [{ lang: 'en', value: 'Duplicate of CVE-2024-9999.' }],
          replacedBy: ['CVE-2024-9999'],
        },
      },
    };
    try {
      parseSubmission(JSON.stringify(rejected));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe('cve-not-published');
      expect((error as InputError).message).toMatch(/REJECTED.*Duplicate of CVE-2024-9999.*includeRejected/);
    }
    const [finding] = parseSubmission(JSON.stringify(rejected), { includeRejected: true }).findings;
    expect(finding?.status).toBe('rejected');
    expect(finding?.dates.withdrawn).toBe('2024-10-01T00:00:00Z');
    expect(finding?.aliases.map((a) => a.id)).toEqual(['CVE-2024-1234', 'CVE-2024-9999']);
    const reserved = { ...rejected, cveMetadata: { cveId: 'CVE-2024-1234', assignerOrgId: ORG, state: 'RESERVED' } };
    expect(() => parseSubmission(JSON.stringify(reserved), { includeRejected: true })).toThrow(/RESERVED.*no published content/);
  });

  it('accepts time stamps without an offset, as the schema text allows, and the 5.1.1 cpeApplicability', () => {
    const doc = record('PUBLISHED', { dateUpdated: '2021-02-08T22:22:51' });
    doc.containers = { cna: { ...cna, cpeApplicability: [{ nodes: [] }] } as typeof cna, adp: [adp] };
    expect(parseSubmission(JSON.stringify(doc)).findings).toHaveLength(1);
  });

  it('reads a CNA container submitted without a state, validating the container alone', () => {
    const submission = { dataType: 'CVE_RECORD', dataVersion: '5.0', cveMetadata: { cveId: 'CVE-2020-36567' }, containers: { cna } };
    const parsed = parseSubmission(JSON.stringify(submission));
    expect(parsed.suggestedTlp).toBe('AMBER');
    expect(parsed.findings[0]?.aliases.map((a) => a.id)).toEqual(['CVE-2020-36567']);
    const broken = { ...submission, cveMetadata: { cveId: 'nope' }, containers: { cna: { ...cna, references: [] } } };
    try {
      parseSubmission(JSON.stringify(broken));
      expect.unreachable();
    } catch (error) {
      const pointers = (error as InputError).issues.map((i) => i.pointer);
      expect(pointers).toContain('/cveMetadata/cveId');
      expect(pointers).toContain('/containers/cna/references');
    }
  });
});

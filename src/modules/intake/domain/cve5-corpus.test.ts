import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeWithData } from '#test-support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj, readJson, shortName } from '../test-support/corpus.js';

/** The CVE records of the shared corpus; expectations are read from each record. */

function containers(doc: unknown): Record<string, unknown>[] {
  const c = obj(obj(doc)['containers']);
  return [obj(c['cna']), ...arr(c['adp']).map(obj)];
}

function metrics(doc: unknown, type: string): Record<string, unknown>[] {
  return containers(doc).flatMap((c) =>
    arr(c['metrics'])
      .map((m) => obj(obj(m)['other']))
      .filter((o) => o['type'] === type),
  );
}

/** What a published record says, compared with what was read; the empty list when they agree. */
function differences(file: string): string[] {
  const doc = readJson(file);
  const cveId = obj(obj(doc)['cveMetadata'])['cveId'];
  const [finding] = parseSubmission(readFileSync(file)).findings;
  const out: string[] = [];
  if (finding?.aliases[0]?.id !== cveId) out.push('alias');
  const affected = containers(doc).reduce((n, c) => n + arr(c['affected']).length, 0);
  if (finding?.affected.length !== affected) out.push(`affected ${finding?.affected.length} != ${affected}`);
  const cweIds = containers(doc).flatMap((c) =>
    arr(c['problemTypes']).flatMap((p) => arr(obj(p)['descriptions']).map((d) => obj(d)['cweId'])),
  );
  for (const cwe of cweIds) if (typeof cwe === 'string' && !finding?.cwes.includes(cwe)) out.push(`cwe ${cwe}`);
  const vectors = containers(doc).flatMap((c) =>
    arr(c['metrics']).flatMap((m) =>
      ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0'].map((k) => obj(obj(m)[k])['vectorString']).filter((v) => typeof v === 'string'),
    ),
  );
  const read = finding?.severities.flatMap((s) => (s.kind === 'cvss' ? [s.vector] : [])) ?? [];
  if (JSON.stringify(read.sort()) !== JSON.stringify([...vectors].sort())) out.push('cvss');
  const kev = metrics(doc, 'kev')[0];
  if ((finding?.enrichment?.kev?.dateAdded ?? null) !== (kev ? obj(kev['content'])['dateAdded'] : null)) out.push('kev');
  const ssvc = metrics(doc, 'ssvc')[0];
  const options = Object.assign({}, ...arr(obj(ssvc?.['content'])['options']).map(obj)) as Record<string, unknown>;
  if (ssvc && JSON.stringify(finding?.enrichment?.ssvc?.options) !== JSON.stringify(options)) out.push('ssvc');
  return out.map((d) => `${shortName(file)}: ${d}`);
}

describeWithData('CVE JSON 5: the shared corpus', 'cve', () => {
  it('reads all 500 vulnrichment records, with CNA and CISA ADP content (CVSS, KEV, SSVC, CWE)', () => {
    const files = corpusFiles('cve/records', /^CVE-.*\.json$/);
    expect(files).toHaveLength(500);
    expect(files.flatMap(differences)).toEqual([]);
  });

  it('reads every KEV record of the sample as carrying its KEV date', () => {
    const selection = readFileSync(
      path.join(path.dirname(corpusFiles('cve/records', /^SELECTION\.tsv$/)[0] ?? ''), 'SELECTION.tsv'),
      'utf8',
    );
    const kevIds = new Set(
      selection
        .split('\n')
        .filter((l) => l.startsWith('kev\t'))
        .map((l) => l.split('\t')[1]),
    );
    const files = corpusFiles('cve/records', /^CVE-.*\.json$/).filter((f) => kevIds.has(path.basename(f, '.json')));
    expect(files.length).toBe(kevIds.size);
    for (const file of files) {
      const expected = metrics(readJson(file), 'kev').length > 0;
      expect(parseSubmission(readFileSync(file)).findings[0]?.enrichment?.kev !== null).toBe(expected);
    }
  });

  it('reads the raw cvelistV5 records and osv.dev CVE 5 test data', () => {
    const files = [
      ...corpusFiles('cve/osv-dev-vulnfeeds/vulnfeeds/test_data/cvelistV5', /\.json$/),
      ...corpusFiles('cve/osv-dev-vulnfeeds/vulnfeeds/test_data/cve5', /\.json$/),
    ];
    expect(files).toHaveLength(24);
    expect(files.flatMap(differences)).toEqual([]);
  });

  it('reads the Go CNA submissions as CNA containers, with Go purls from collectionURL and packageName', () => {
    const files = corpusFiles('cve/go-cna-v5', /^GO-.*\.json$/);
    expect(files).toHaveLength(239);
    for (const file of files) {
      const doc = readJson(file);
      const parsed = parseSubmission(readFileSync(file));
      expect(parsed.suggestedTlp).toBe('AMBER');
      const goPackages = arr(obj(obj(obj(doc)['containers'])['cna'])['affected'])
        .map(obj)
        .filter((a) => a['collectionURL'] === 'https://pkg.go.dev')
        .map((a) => `pkg:golang/${String(a['packageName'])}`);
      expect(parsed.findings[0]?.targets.map((t) => t.identity)).toEqual(expect.arrayContaining(goPackages));
    }
  });

  it('treats the cve-services fixtures as their names and states say', () => {
    for (const file of corpusFiles('cve/cve-services-fixtures', /\.json$/)) {
      const doc = obj(readJson(file));
      const name = path.basename(file);
      const state = obj(doc['cveMetadata'])['state'];
      const attempt = () => parseSubmission(readFileSync(file));
      if (!('dataType' in doc && 'cveMetadata' in doc)) {
        expect(attempt, name).toThrow(UnsupportedMediaTypeError);
        expect(() => parseSubmission(readFileSync(file), { format: 'cve5' }), name).toThrow(InputError);
      } else if (!String(doc['dataVersion']).startsWith('5.')) {
        expect(attempt, name).toThrow(/CVE JSON .* is not read; only CVE JSON 5\.x is/);
      } else if (state !== 'PUBLISHED') {
        expect(attempt, name).toThrow(expect.objectContaining({ code: 'cve-not-published' }));
      } else if (/fail|bad/.test(name)) {
        expect(attempt, name).toThrow(expect.objectContaining({ code: 'schema-violation' }));
      } else {
        expect(attempt().findings, name).toHaveLength(1);
      }
    }
  });

  it('refuses NVD API responses and the legacy feed, saying what to send instead', () => {
    for (const file of corpusFiles('cve/osv-dev-vulnfeeds/vulnfeeds/test_data', /^nvdcve|^CVE-.*\.json$/).filter((f) =>
      f.includes('nvdcve'),
    )) {
      expect(() => parseSubmission(readFileSync(file)), shortName(file)).toThrow(/NVD CVE API or feed/);
    }
  });
});

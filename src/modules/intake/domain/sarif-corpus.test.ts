import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { InputError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj, readJson, shortName } from '../test-support/corpus.js';

/**
 * Every SARIF log of the shared corpus. Expectations come from reading each file directly: how many results
 * its runs hold, whether it breaks a schema rule (results that are not an array), and where it has a region
 * with none of startLine, charOffset or byteOffset (SARIF §3.30.2 requires one; such regions are ignored with
 * a warning).
 */

function brokenRegions(value: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => brokenRegions(v, `${at}/${i}`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const here = `${at}/${key}`;
      if ((key === 'region' || key === 'contextRegion') && !['startLine', 'charOffset', 'byteOffset'].some((k) => k in obj(child)))
        out.push(here);
      brokenRegions(child, here, out);
    }
  }
  return out;
}

function expectedRejection(doc: unknown): string | null {
  const runs = arr(obj(doc)['runs']);
  const notArray = runs.findIndex((r) => 'results' in obj(r) && !Array.isArray(obj(r)['results']));
  return notArray >= 0 ? `/runs/${notArray}/results` : null;
}

describeWithData('SARIF: the shared corpus', 'sarif', () => {
  const files = corpusFiles('sarif', /\.(sarif|golden)$/);

  it('holds the files the corpus README lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(29);
  });

  it.each(files.map((f) => [shortName(f), f]))('%s', (_name, file) => {
    const doc = readJson(file);
    const rejected = expectedRejection(doc);
    if (rejected !== null) {
      let error: unknown;
      try {
        parseSubmission(readFileSync(file));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.pointer)).toContain(rejected);
      return;
    }
    const parsed = parseSubmission(readFileSync(file));
    // Regions naming no position (SemmleQL converter output) are ignored, each with a warning at its pointer.
    const empty = brokenRegions(doc, '', []);
    expect(parsed.warnings.filter((w) => /empty region/.test(w.detail)).map((w) => w.pointer)).toEqual(empty.slice(0, 100));
    const expected = arr(obj(doc)['runs']).flatMap((run, r) =>
      arr(obj(run)['results']).map((result, i) => {
        const driver = obj(obj(obj(run)['tool'])['driver']);
        const ruleIndex = obj(result)['ruleIndex'];
        const indexed = typeof ruleIndex === 'number' ? obj(arr(driver['rules'])[ruleIndex])['id'] : undefined;
        return {
          ref: `/runs/${r}/results/${i}`,
          tool: driver['name'],
          ruleId: obj(result)['ruleId'] ?? obj(obj(result)['rule'])['id'] ?? indexed ?? null,
        };
      }),
    );
    expect(parsed.format).toBe('sarif');
    expect(parsed.findings.map((f) => ({ ref: f.ref, tool: f.provenance.tool?.name, ruleId: f.rule?.id ?? null }))).toEqual(expected);
  });

  it('rejects the deliberately invalid codeql-action log, naming the field and the rule', () => {
    const file = sharedData('sarif/codeql-action/src/testdata/invalid-sarif.sarif');
    expect(() => parseSubmission(readFileSync(file))).toThrow(/\/runs\/0\/results must be array/);
  });

  it('reads a log with a UTF-8 byte-order mark exactly as without one', () => {
    const bytes = readFileSync(sharedData('sarif/codeql-action/src/testdata/valid-sarif.sarif'));
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(parseSubmission(withBom)).toEqual(parseSubmission(bytes));
  });

  it('reads CWE ids, severity, target and paths of the CWE taxonomy sample', () => {
    const file = sharedData('sarif/sarif-sdk/src/Sarif/Taxonomies/CweGhasSample.sarif');
    const run = obj(arr(obj(readJson(file))['runs'])[0]);
    const rules = arr(obj(obj(run['tool'])['driver'])['rules']).map(obj);
    const parsed = parseSubmission(readFileSync(file));
    parsed.findings.forEach((finding, i) => {
      const result = obj(arr(run['results'])[i]);
      const rule = rules.find((r) => r['id'] === result['ruleId']);
      const ruleId = String(result['ruleId']);
      expect(finding.cwes).toEqual(ruleId.startsWith('CWE-') ? [ruleId] : []);
      expect(finding.severities).toContainEqual({
        kind: 'security-severity',
        score: Number(obj(rule?.['properties'])['security-severity']),
        source: 'rule',
      });
      expect(finding.targets.map((t) => t.identity)).toEqual(['repo:github.com/microsoft/sarif-sdk']);
      expect(finding.locations[0]?.path).toBe('src/Sarif/Taxonomies/SampleCode.cs');
      expect(finding.locations[0]?.lineHash).toBe(obj(result['partialFingerprints'])['primaryLocationLineHash']);
    });
  });

  it('follows Fortify rule relationships to the CWE taxonomy', () => {
    const file = sharedData('sarif/sarif-sdk/src/Test.FunctionalTests.Sarif/v2/ConverterTestData/FortifyFpr/FortifyTest.fpr.sarif');
    const parsed = parseSubmission(readFileSync(file));
    expect(parsed.findings.map((f) => f.cwes)).toEqual([[], [], ['CWE-22', 'CWE-73']]);
  });

  it('reads the vulnerability ids and purls grype and Trivy put into rules', () => {
    const grype = parseSubmission(
      readFileSync(sharedData('sarif/grype/grype/presenter/sarif/testdata/snapshot/TestSarifPresenter_image.golden')),
    );
    expect(grype.findings.map((f) => f.aliases.map((a) => a.id))).toEqual([['CVE-1999-0001'], ['CVE-1999-0002']]);
    // grype's snapshot writes `pkg:deb/package-2@2.2.2`: a deb purl without its distribution namespace, which the
    // purl specification's deb type refuses, so it names no package target.
    expect(grype.findings.map((f) => f.targets.map((t) => (t.kind === 'package' ? t.purl : t.identity)))).toEqual([[], []]);
    const trivy = parseSubmission(
      readFileSync(
        sharedData('sarif/sarif-sdk/src/Test.UnitTests.Sarif.Multitool.Library/TestData/MergeCommand/Inputs/FileNameOnlyWithoutPath.sarif'),
      ),
    );
    expect(trivy.findings.map((f) => f.rule?.family)).toEqual(['CVE-2021-22945', 'CVE-2021-22946']);
  });
});

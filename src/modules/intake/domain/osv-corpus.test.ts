import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '../../../../test/support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj, shortName } from '../test-support/corpus.js';

/**
 * Every OSV record of the shared corpus (PyPI YAML, Go, crates.io, the osv-schema test data). Expectations
 * are read from each file: its id and aliases, its affected packages, and the two schema rules some real
 * records break — a GIT range event that is not a full commit hash (PyPI has `<sha>.patch`), a range with
 * no `introduced` event.
 */

const COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

function read(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  return obj(file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text));
}

/** The pointer of the first schema rule the record breaks, of the two the corpus is known to contain. */
function violation(doc: Record<string, unknown>): string | null {
  for (const [i, affected] of arr(doc['affected']).entries()) {
    for (const [j, range] of arr(obj(affected)['ranges']).entries()) {
      const events = arr(obj(range)['events']).map(obj);
      if (!events.some((e) => 'introduced' in e)) return `/affected/${i}/ranges/${j}/events`;
      if (obj(range)['type'] !== 'GIT') continue;
      for (const [k, event] of events.entries()) {
        for (const [kind, value] of Object.entries(event)) if (!COMMIT.test(String(value))) return `/affected/${i}/ranges/${j}/events/${k}/${kind}`;
      }
    }
  }
  return null;
}

function check(file: string): string | null {
  const doc = read(file);
  const expectedError = violation(doc);
  let parsed;
  try {
    parsed = parseSubmission(readFileSync(file));
  } catch (error) {
    if (expectedError !== null && error instanceof InputError && error.issues.some((i) => i.pointer === expectedError)) return null;
    return `${shortName(file)}: ${(error as Error).message}`;
  }
  if (expectedError !== null) return `${shortName(file)}: accepted although ${expectedError} breaks the schema`;
  const finding = parsed.findings[0];
  const ids = [...new Set([String(doc['id']), ...arr(doc['aliases']).map(String)])];
  const affected = arr(doc['affected']).map((a) => ({ name: obj(obj(a)['package'])['name'] ?? null, ecosystem: obj(obj(a)['package'])['ecosystem'] ?? null }));
  const problems = [
    parsed.findings.length === 1 ? null : `${parsed.findings.length} findings`,
    JSON.stringify(finding?.aliases.map((a) => a.id)) === JSON.stringify(ids) ? null : `aliases ${JSON.stringify(finding?.aliases)}`,
    JSON.stringify(finding?.affected.map((a) => ({ name: a.name, ecosystem: a.ecosystem }))) === JSON.stringify(affected) ? null : 'affected',
    (finding?.status === 'withdrawn') === ('withdrawn' in doc) ? null : 'withdrawn',
  ].filter((p) => p !== null);
  return problems.length === 0 ? null : `${shortName(file)}: ${problems.join(', ')}`;
}

describeWithData('OSV: the shared corpus', 'osv', () => {
  it.each([
    ['osv/pypi', /\.yaml$/, 2661],
    ['osv/go', /\.json$/, 4291],
    ['osv/crates-io', /\.json$/, 1206],
    ['osv/osv-schema/tools/osv-linter/testdata', /\.json$/, 12],
    ['osv/osv-schema/tools/ghsa/testdata', /\.osv\.json$/, 11],
  ] as const)('%s: every record reads as the file says, or is refused for the rule it breaks', (folder, pattern, count) => {
    const files = corpusFiles(folder, pattern);
    expect(files).toHaveLength(count);
    expect(files.map(check).filter((p) => p !== null)).toEqual([]);
  });

  it('refuses the PyPI records whose GIT ranges name patch files instead of commits', () => {
    const broken = corpusFiles('osv/pypi', /\.yaml$/).filter((f) => violation(read(f)) !== null);
    expect(broken.length).toBeGreaterThan(0);
    for (const file of broken) expect(() => parseSubmission(readFileSync(file))).toThrow(InputError);
  });

  it('refuses the GitHub REST advisories beside the OSV exports, naming what they are', () => {
    const files = corpusFiles('osv/osv-schema/tools/ghsa/testdata', /^[a-z_]+\.json$/);
    expect(files.length).toBe(11);
    for (const file of files) expect(() => parseSubmission(readFileSync(file))).toThrow(UnsupportedMediaTypeError);
  });

  it('flags the linter negative variants: no introduced event (refused), non-distinct events (warned)', () => {
    const dir = 'osv/osv-schema/tools/osv-linter/testdata';
    expect(() => parseSubmission(readFileSync(sharedData(dir, 'nointroduced-CVE-2023-41045.json')))).toThrow(/\/affected\/0\/ranges\/0\/events/);
    const doc = read(sharedData(dir, 'nondistinct-CVE-2018-5407.json'));
    const empty: string[] = [];
    arr(doc['affected']).forEach((a, i) =>
      arr(obj(a)['ranges']).forEach((r, j) => {
        const events = arr(obj(r)['events']).map(obj);
        if (events.some((e, k) => 'introduced' in e && events[k + 1]?.['fixed'] === e['introduced'])) empty.push(`/affected/${i}/ranges/${j}/events`);
      }),
    );
    expect(empty.length).toBeGreaterThan(0);
    expect(parseSubmission(readFileSync(sharedData(dir, 'nondistinct-CVE-2018-5407.json'))).warnings.map((w) => w.pointer)).toEqual(empty);
  });

  it('reads the no-package variant as the record says: whether "Gradi0" exists takes a registry, not a parser', () => {
    const parsed = parseSubmission(readFileSync(sharedData('osv/osv-schema/tools/osv-linter/testdata/nopackage-GHSA-9v2f-6vcg-3hgv.json')));
    expect(parsed.findings[0]?.affected[0]?.name).toBe('Gradi0');
  });
});

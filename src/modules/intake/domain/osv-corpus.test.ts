import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSubmission } from './parse-submission.js';
import { arr, corpusFiles, obj, shortName } from '../test-support/corpus.js';

/**
 * Every OSV record of the shared corpus (PyPI YAML, Go, crates.io, the osv-schema test data). Expectations
 * are read from each file: its id and aliases, its affected packages, the schema rule some real records
 * break (a range with no `introduced` event: refused), and GIT ranges whose events are not commit hashes
 * (PyPI has `<sha>.patch`: the range is ignored with a warning, the record read).
 */

const COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

function read(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  return obj(file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text));
}

/** The pointer of a range with no `introduced` event, which the schema forbids. */
function violation(doc: Record<string, unknown>): string | null {
  for (const [i, affected] of arr(doc['affected']).entries()) {
    for (const [j, range] of arr(obj(affected)['ranges']).entries()) {
      const events = arr(obj(range)['events']).map(obj);
      if (!events.some((e) => 'introduced' in e)) return `/affected/${i}/ranges/${j}/events`;
    }
  }
  return null;
}

/** Pointers of GIT ranges naming something other than a commit. */
function patchNamedGitRanges(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  arr(doc['affected']).forEach((affected, i) =>
    arr(obj(affected)['ranges']).forEach((range, j) => {
      if (obj(range)['type'] !== 'GIT') return;
      if (arr(obj(range)['events']).some((e) => Object.values(obj(e)).some((v) => !COMMIT.test(String(v)))))
        out.push(`/affected/${i}/ranges/${j}`);
    }),
  );
  return out;
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
  const affected = arr(doc['affected']).map((a) => ({
    name: obj(obj(a)['package'])['name'] ?? null,
    ecosystem: obj(obj(a)['package'])['ecosystem'] ?? null,
  }));
  const problems = [
    parsed.findings.length === 1 ? null : `${parsed.findings.length} findings`,
    JSON.stringify(finding?.aliases.map((a) => a.id)) === JSON.stringify(ids) ? null : `aliases ${JSON.stringify(finding?.aliases)}`,
    JSON.stringify(finding?.affected.map((a) => ({ name: a.name, ecosystem: a.ecosystem }))) === JSON.stringify(affected)
      ? null
      : 'affected',
    (finding?.status === 'withdrawn') === 'withdrawn' in doc ? null : 'withdrawn',
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

  it('reads the PyPI records whose GIT ranges name patch files, ignoring those ranges with a warning', () => {
    const broken = corpusFiles('osv/pypi', /\.yaml$/).filter((f) => patchNamedGitRanges(read(f)).length > 0);
    expect(broken.length).toBe(7);
    for (const file of broken) {
      const doc = read(file);
      const parsed = parseSubmission(readFileSync(file));
      expect(parsed.warnings.filter((w) => /GIT range/.test(w.detail)).map((w) => w.pointer)).toEqual(patchNamedGitRanges(doc));
      const ecosystemRanges = arr(doc['affected']).flatMap((a) => arr(obj(a)['ranges']).filter((r) => obj(r)['type'] !== 'GIT'));
      expect(parsed.findings[0]?.affected.flatMap((a) => a.ranges)).toHaveLength(ecosystemRanges.length);
    }
  });

  it('refuses the GitHub REST advisories beside the OSV exports, naming what they are', () => {
    const files = corpusFiles('osv/osv-schema/tools/ghsa/testdata', /^[a-z_]+\.json$/);
    expect(files.length).toBe(11);
    for (const file of files) expect(() => parseSubmission(readFileSync(file))).toThrow(UnsupportedMediaTypeError);
  });

  it('flags the linter negative variants: no introduced event (refused), non-distinct events (warned)', () => {
    const dir = 'osv/osv-schema/tools/osv-linter/testdata';
    expect(() => parseSubmission(readFileSync(sharedData(dir, 'nointroduced-CVE-2023-41045.json')))).toThrow(
      /\/affected\/0\/ranges\/0\/events/,
    );
    const doc = read(sharedData(dir, 'nondistinct-CVE-2018-5407.json'));
    const empty: string[] = [];
    arr(doc['affected']).forEach((a, i) =>
      arr(obj(a)['ranges']).forEach((r, j) => {
        const events = arr(obj(r)['events']).map(obj);
        if (events.some((e, k) => 'introduced' in e && events[k + 1]?.['fixed'] === e['introduced']))
          empty.push(`/affected/${i}/ranges/${j}/events`);
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

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../../test/support/cli.js';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '../../../test/support/databases.js';
import { describeWithData, sharedData } from '../../../test/support/shared-data.js';
import { nativeDocument, nativeFinding, osvRecord } from './test-support/native.js';

describe('clearinghouse dedup (offline)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dedup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the clusters with each finding’s file and JSON pointer, with no database', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    const c = path.join(dir, 'c.json');
    writeFileSync(
      a,
      nativeDocument([
        nativeFinding(),
        nativeFinding({ title: 'other', location: { path: 'o.py', function: 'o' }, aliases: ['CVE-2026-5'] }),
      ]),
    );
    writeFileSync(b, osvRecord('PYSEC-2026-5', ['CVE-2026-5']));
    writeFileSync(c, nativeDocument([nativeFinding({ description: 'reworded' })], { tool: { name: 'other' } }));
    const result = await cli({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, 'dedup', a, b, c, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      findings: 4,
      clusters: [
        {
          id: 'cluster-000001',
          findings: [
            { file: a, ref: '/findings/0' },
            { file: c, ref: '/findings/0' },
          ],
        },
        {
          id: 'cluster-000002',
          findings: [
            { file: a, ref: '/findings/1' },
            { file: b, ref: '' },
          ],
        },
      ],
    });
  });

  it('exits 2 naming the file, the pointer and the rule for a bad file', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, nativeDocument([nativeFinding({ cwe: ['bogus'] })]));
    const result = await cli({}, 'dedup', bad, '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toContain('/findings/0/cwe/0');
  });
});

describeWithData('clearinghouse dedup on real files', 'cve/records', () => {
  it('clusters each of the first osv-alias CVE records with the Go OSV record that names it', async () => {
    const selection = readFileSync(sharedData('cve/records/SELECTION.tsv'), 'utf8')
      .split('\n')
      .map((l) => l.split('\t'));
    const wanted = new Map(selection.filter((r) => r[0] === 'osv-alias').map((r) => [r[1] ?? '', sharedData('cve/records', r[2] ?? '')]));
    const pairs: [string, string][] = [];
    const goDir = sharedData('osv/go/data/osv');
    for (const name of readdirSync(goDir)) {
      const doc = JSON.parse(readFileSync(path.join(goDir, name), 'utf8')) as { aliases?: string[] };
      const cve = (doc.aliases ?? []).find((a) => wanted.has(a));
      if (cve !== undefined) pairs.push([wanted.get(cve) ?? '', path.join(goDir, name)]);
      if (pairs.length === 5) break;
    }
    expect(pairs).toHaveLength(5);
    const result = await cli({}, 'dedup', ...pairs.flat(), '--json');
    expect(result.code).toBe(0);
    const report = result.json<{ findings: number; clusters: { findings: { file: string; ref: string }[] }[] }>();
    for (const [cveFile, osvFile] of pairs) {
      const cluster = report.clusters.find((c) => c.findings.some((f) => f.file === cveFile));
      expect(cluster?.findings.map((f) => f.file)).toContain(osvFile);
    }
  });
});

describeEachDatabase('clearinghouse submit', (dialect) => {
  let target: TestDatabaseUrl;
  let env: Record<string, string>;
  beforeEach(async () => {
    target = await createTestDatabaseUrl(dialect);
    env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir };
    await cli(env, 'init');
  });
  afterEach(() => target.drop());

  it('submits files to the local database and says per file what was new', async () => {
    const file = path.join(target.dir, 'scan.json');
    writeFileSync(file, nativeDocument([nativeFinding(), nativeFinding({ title: 'b', location: { path: 'b.py', function: 'b' } })]));
    const first = await cli(env, 'submit', file);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 findings — 2 new, 0 duplicate');
    const again = await cli(env, 'submit', file, '--json');
    expect(again.json<{ repeated: boolean }[]>()[0]?.repeated).toBe(true);
    const bad = path.join(target.dir, 'bad.json');
    writeFileSync(bad, '{"schema": "clearinghouse/findings@1", "findings": []}');
    const refused = await cli(env, 'submit', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad.json');
  });
});

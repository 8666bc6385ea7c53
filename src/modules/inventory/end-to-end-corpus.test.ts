import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import type { MatchOutput } from './commands/match-command.js';
import { upsertAdvisories } from './service/advisories.js';
import { exposureForOperator } from './service/exposure.js';
import { uploadSbom } from './service/sboms.js';
import { cycloneDx, type FixtureComponent } from './test-support/fixtures.js';
import { boundsValid, referenceName, referenceVerdict, type Ecosystem, type ReferenceRecord } from './test-support/reference-matcher.js';

/**
 * End to end on the real PyPI, Go and crates.io advisories: SBOMs built from versions the advisories name
 * (and the versions just after them), matched by the product — offline by `clearinghouse match`, and through
 * uploads, imports and the background reverse match on a database — and every match checked against
 * expectations computed by the independent reference evaluator in test-support/reference-matcher.ts.
 */

const CORPORA: readonly { ecosystem: Ecosystem; dir: string }[] = [
  { ecosystem: 'PyPI', dir: 'osv/pypi' },
  { ecosystem: 'Go', dir: 'osv/go/data/osv' },
  { ecosystem: 'crates.io', dir: 'osv/crates-io/crates' },
];

interface Probe {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
}

function readCorpus(dir: string): ReferenceRecord[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(json|ya?ml)$/.test(e.name))
    .map((e) => {
      const text = readFileSync(path.join(e.parentPath, e.name), 'utf8');
      return (e.name.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as ReferenceRecord;
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

const purlOf = (ecosystem: Ecosystem, name: string, version: string): string =>
  ecosystem === 'PyPI'
    ? `pkg:pypi/${name}@${encodeURIComponent(version)}`
    : ecosystem === 'Go'
      ? `pkg:golang/${name}@${encodeURIComponent(`v${version}`)}`
      : `pkg:cargo/${name}@${encodeURIComponent(version)}`;

/** A version just above `v`: the next patch for SemVer, a post-release for PEP 440. */
function after(ecosystem: Ecosystem, v: string): string | null {
  if (ecosystem === 'PyPI') return /^[\d.]+$/.test(v) ? `${v}.post1` : null;
  return semver.inc(v, 'patch');
}

/** Versions probed per package at most: a real SBOM holds one version of tensorflow, not hundreds. */
const PER_PACKAGE = 12;

/** Probes from every `every`-th advisory's event versions and first listed versions, with their neighbours. */
function probesFrom(ecosystem: Ecosystem, records: readonly ReferenceRecord[], every: number): Probe[] {
  // A package with an unparseable bound anywhere answers "unknown" by design; it is left out of exact checks.
  const unclear = new Set(
    records.flatMap((r) =>
      (r.affected ?? [])
        .filter((a) => a.package?.ecosystem === ecosystem && !boundsValid(ecosystem, a))
        .map((a) => referenceName(ecosystem, a.package?.name ?? '')),
    ),
  );
  const probes = new Map<string, Probe>();
  const perPackage = new Map<string, number>();
  records.forEach((record, i) => {
    if (i % every !== 0) return;
    for (const entry of record.affected ?? []) {
      const name = entry.package?.name;
      if (entry.package?.ecosystem !== ecosystem || name === undefined || unclear.has(referenceName(ecosystem, name))) continue;
      const named = [
        ...(entry.ranges ?? [])
          .filter((r) => r.type !== 'GIT')
          .flatMap((r) => r.events.flatMap((e) => [e.introduced, e.fixed, e.last_affected])),
        ...(entry.versions ?? []).slice(0, 2),
      ];
      for (const v of named) {
        if (v === undefined || v === '0') continue;
        for (const version of [v, after(ecosystem, v)]) {
          if (version === null) continue;
          const purl = purlOf(ecosystem, name, version);
          const count = perPackage.get(name) ?? 0;
          if (probes.has(purl) || count >= PER_PACKAGE) continue;
          perPackage.set(name, count + 1);
          probes.set(purl, { ecosystem, name, version: ecosystem === 'Go' ? `v${version}` : version, purl });
        }
      }
    }
  });
  return [...probes.values()];
}

/** What the product should answer: `purl advisory` → fixed versions, by the reference evaluator. */
function expectedMatches(probes: readonly Probe[], records: readonly ReferenceRecord[]): Map<string, string[]> {
  const byPackage = new Map<string, ReferenceRecord[]>();
  for (const r of records) {
    for (const key of new Set(
      (r.affected ?? []).map(
        (a) => `${a.package?.ecosystem}\u0000${referenceName(a.package?.ecosystem as Ecosystem, a.package?.name ?? '')}`,
      ),
    )) {
      byPackage.set(key, [...(byPackage.get(key) ?? []), r]);
    }
  }
  const out = new Map<string, string[]>();
  for (const p of probes) {
    for (const r of byPackage.get(`${p.ecosystem}\u0000${referenceName(p.ecosystem, p.name)}`) ?? []) {
      const verdict = referenceVerdict(r, p.ecosystem, p.name, p.version);
      if (verdict.affected) out.set(`${p.purl} ${r.id}`, verdict.fixed);
    }
  }
  return out;
}

const component = (p: Probe): FixtureComponent => ({ name: p.name, version: p.version, purl: p.purl });

describeWithData('end to end on the real OSV corpora: offline `clearinghouse match`', 'osv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'inv-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let records: ReferenceRecord[] = [];
  let probes: Probe[] = [];
  beforeAll(() => {
    for (const corpus of CORPORA) {
      const own = readCorpus(sharedData(corpus.dir));
      records.push(...own);
      probes.push(...probesFrom(corpus.ecosystem, own, 1));
    }
  });

  it('loads every advisory of the three corpora and matches each probe exactly as the reference says', async () => {
    expect(records.length).toBeGreaterThan(8000);
    expect(probes.length).toBeGreaterThan(8000);
    const sbom = path.join(dir, 'bom.json');
    writeFileSync(sbom, cycloneDx(probes.map(component)));
    const env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
    const result = await cli(env, 'match', '--sbom', sbom, '--osv', ...CORPORA.map((c) => sharedData(c.dir)), '--json', '--strict');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = result.json<MatchOutput>();
    console.log(`end to end: ${records.length} advisories, ${probes.length} components, ${output.matches.length} affected matches checked`);
    expect(output.components).toBe(probes.length + 1);
    const got = new Map(output.matches.map((m) => [`${m.purl} ${m.advisory}`, m.fixed]));
    const want = expectedMatches(probes, records);
    expect(want.size).toBeGreaterThan(5000);
    expect([...got.keys()].filter((k) => !want.has(k))).toEqual([]);
    expect([...want.keys()].filter((k) => !got.has(k))).toEqual([]);
    expect([...want].filter(([k, fixed]) => JSON.stringify(got.get(k)) !== JSON.stringify(fixed))).toEqual([]);
    expect(output.matches.every((m) => m.confidence === 'exact')).toBe(true);
    records = [];
    probes = [];
    // The CLI parses and schema-checks 8,000 advisory files in one process: over a minute on a shared 2-core machine.
  }, 300_000);
});

// The same through the database, on both dialects: a sample of each corpus, operators uploading before
// (reverse match from the outbox) and after (forward match at upload) the advisories arrive.
describeWithData('end to end on real OSV advisories: uploads, imports and the reverse match', 'osv', () => {
  describeEachDatabase('on each database', (dialect) => {
    const get = useTestRuntime(dialect);

    it('records for every operator exactly the matches the reference expects', async () => {
      const { system, as, org, runtime } = get();
      const sample = CORPORA.map((c) => ({ ...c, records: readCorpus(sharedData(c.dir)).filter((_, i) => i % 40 === 0) }));
      const records = sample.flatMap((s) => s.records);
      const probes = sample.flatMap((s) => probesFrom(s.ecosystem, s.records, 1));
      const halves = [probes.filter((_, i) => i % 2 === 0), probes.filter((_, i) => i % 2 === 1)];
      const early = await org('operator', { sectors: ['energy'] });
      const late = await org('operator', { sectors: ['water'] });

      await uploadSbom(as(early), { asset: { name: 'early' }, bytes: Buffer.from(cycloneDx((halves[0] ?? []).map(component))) });
      await upsertAdvisories(
        system,
        records.map((record) => ({ record })),
        { source: 'osv-corpus', tlp: 'CLEAR' },
      );
      await runtime.jobs.drain();
      await uploadSbom(as(late), { asset: { name: 'late' }, bytes: Buffer.from(cycloneDx((halves[1] ?? []).map(component))) });

      for (const [who, half] of [
        [early, halves[0] ?? []],
        [late, halves[1] ?? []],
      ] as const) {
        const exposure = await exposureForOperator(as(who), who.orgId, { limit: 500 });
        expect(exposure.nextCursor).toBeNull();
        const got = new Map<string, string[]>(
          exposure.items.flatMap((i) =>
            i.assets.flatMap((a) =>
              a.matches.filter((m) => m.status === 'affected').map((m): [string, string[]] => [`${m.purl} ${m.advisoryId}`, m.fixed]),
            ),
          ),
        );
        const want = expectedMatches(half, records);
        expect(want.size).toBeGreaterThan(50);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        expect([...want].filter(([k, fixed]) => JSON.stringify(got.get(k)) !== JSON.stringify(fixed))).toEqual([]);
      }
    });
  });
});

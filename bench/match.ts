import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { AdvisoryIndex, ComponentIndex } from '../src/modules/inventory/domain/match-index.js';
import {
  compileAdvisory,
  evaluatePrepared,
  prepareComponent,
  type CompiledAdvisory,
  type ComponentRef,
} from '../src/modules/inventory/domain/osv-evaluate.js';
import type { OsvRecord } from '../src/modules/inventory/domain/osv-record.js';
import { componentRefOf, matchSbomAgainstAdvisories } from '../src/modules/inventory/domain/sbom-match.js';
import { parseSbom } from '../src/modules/inventory/domain/sbom-parse.js';
import { loadOsv, osvSources } from '../src/modules/inventory/files/osv-sources.js';
import { report } from './report.js';

/**
 * The match engine (issue 6), in memory, as the server holds it: the advisory index of every advisory in
 * ../shared/data/osv scaled with synthetic ones to `advisories`, a forward match of a 10,000-component
 * SBOM against it (and the same by a naive scan of every advisory), and the reverse match of new
 * advisories against `operators` × `componentsPerOperator` components. Deterministic (seeded).
 */

export const OSV_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/osv');
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
// RSS is read after a full collection, so that it counts what the indexes hold, not garbage from building them.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** mulberry32: a small seeded generator, so every run builds the same data. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

/**
 * Synthetic advisories cloned from real ones (ranges, versions and all) onto new package names, so that the
 * real packages keep their real advisory density: scaling the catalogue must not make django ten times as
 * vulnerable, only the index larger.
 */
function scale(real: readonly OsvRecord[], total: number): OsvRecord[] {
  const out = [...real];
  for (let k = 0; out.length < total; k++) {
    const base = real[k % real.length] as OsvRecord;
    out.push({
      ...base,
      id: `SYN-${k}`,
      aliases: [`CVE-2099-${k}`],
      affected: (base.affected ?? []).map((a) =>
        a.package === undefined ? a : { ...a, package: { ...a.package, name: `${a.package.name}-syn${k % 50_000}` } },
      ),
    });
  }
  return out;
}

/** (ecosystem, name, versions named) of the real advisories, to build inventories that match. */
export function packagesOf(records: readonly OsvRecord[]): { ecosystem: string; name: string; versions: string[] }[] {
  const byKey = new Map<string, { ecosystem: string; name: string; versions: Set<string> }>();
  for (const r of records) {
    for (const a of r.affected ?? []) {
      if (a.package === undefined || !['PyPI', 'Go', 'crates.io'].includes(a.package.ecosystem)) continue;
      const key = `${a.package.ecosystem}/${a.package.name}`;
      const entry = byKey.get(key) ?? { ecosystem: a.package.ecosystem, name: a.package.name, versions: new Set<string>() };
      for (const range of a.ranges ?? [])
        for (const e of range.events) for (const v of [e.introduced, e.fixed]) if (v !== undefined && v !== '0') entry.versions.add(v);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].filter((p) => p.versions.size > 0).map((p) => ({ ...p, versions: [...p.versions] }));
}

const purlOf = (p: { ecosystem: string; name: string }, version: string): string =>
  p.ecosystem === 'PyPI'
    ? `pkg:pypi/${p.name}@${encodeURIComponent(version)}`
    : p.ecosystem === 'Go'
      ? `pkg:golang/${p.name}@v${encodeURIComponent(version)}`
      : `pkg:cargo/${p.name}@${encodeURIComponent(version)}`;

/**
 * A 10,000-component SBOM. Typical: most components come from packages no advisory names; of those from
 * packages with advisories, one in three is at a version an advisory names (often affected), the rest at a
 * current release (above every advisory's reach). Heavy: every component from a package with advisories,
 * two in five at a named version — ten times the matches, the worst case for the output-bound part.
 */
export function sbomText(
  packages: ReturnType<typeof packagesOf>,
  size: number,
  next: () => number,
  mix: { advisoryPackages: number; named: number },
): string {
  const components = [];
  for (let i = 0; i < size; i++) {
    if (next() >= mix.advisoryPackages) {
      components.push({ type: 'library', 'bom-ref': `c${i}`, name: `dep-${i}`, version: '1.0.0', purl: `pkg:npm/dep-${i}@1.0.0` });
      continue;
    }
    const p = packages[Math.floor(next() * packages.length)] as (typeof packages)[number];
    const version = next() < mix.named ? (p.versions[Math.floor(next() * p.versions.length)] as string) : `${900 + (i % 50)}.0.${i}`;
    components.push({ type: 'library', 'bom-ref': `c${i}`, name: p.name, version, purl: purlOf(p, version) });
  }
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components });
}

/** Median of warm runs of the forward match, after three warm-up runs. */
function warmMatch(sbom: ReturnType<typeof parseSbom>, index: AdvisoryIndex): { ms: number; matches: number } {
  let matches = 0;
  for (let i = 0; i < 3; i++) matches = matchSbomAgainstAdvisories(sbom, index).matches.length;
  return { ms: median(Array.from({ length: 15 }, () => time(() => matchSbomAgainstAdvisories(sbom, index))[1])), matches };
}

export interface MatchBenchOptions {
  readonly advisories: number;
  readonly sbomComponents: number;
  readonly operators: number;
  readonly componentsPerOperator: number;
  /** Components of the SBOM scanned naively (the rest extrapolated): the full scan takes minutes. */
  readonly naiveComponents: number;
}

export async function benchMatch(options: MatchBenchOptions): Promise<void> {
  if (!existsSync(OSV_DIR)) {
    console.error(`match: ${OSV_DIR} is absent (the real OSV corpora; see ../shared/data/README.md); nothing measured`);
    return;
  }
  const next = random(20260602);
  collect();
  const baseline = rssMb();
  const [load, loadMs] = time(() => loadOsv(osvSources([OSV_DIR])));
  const real = load.advisories.map((a) => a.record);
  let records: OsvRecord[] | null = scale(real, options.advisories);
  const ids = records.map((r) => r.id);
  const [index, buildMs] = time(() => {
    const built = new AdvisoryIndex();
    for (const r of records ?? []) built.upsert(r);
    return built;
  });
  records = null;
  collect();
  const extra = {
    advisories: index.size,
    real: real.length,
    skipped_files: load.skipped.length,
    load_ms: Math.round(loadMs),
    baseline_rss_mb: Math.round(baseline),
  };
  report('match.index_build_ms', buildMs, extra);
  report('match.index_rss_mb', rssMb(), { ...extra, heap_used_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });

  // Forward: a 10,000-component SBOM, parsed once, matched warm.
  const packages = packagesOf(real);
  const typicalMix = { advisoryPackages: 0.3, named: 1 / 3 };
  const [sbom, parseMs] = time(() => parseSbom(sbomText(packages, options.sbomComponents, next, typicalMix)));
  const typical = warmMatch(sbom, index);
  const heavy = warmMatch(parseSbom(sbomText(packages, options.sbomComponents, next, { advisoryPackages: 1, named: 0.4 })), index);
  const warm = typical.ms;
  report('match.sbom10k.warm_ms', warm, {
    components: sbom.components.length,
    matches: typical.matches,
    mix: 'typical: 30% of components from packages with advisories, a third of those at a version an advisory names',
    heavy_ms: Math.round(heavy.ms * 100) / 100,
    heavy_matches: heavy.matches,
    parse_ms: Math.round(parseMs),
    goal_ms: 50,
  });

  // The same by a naive scan of every advisory, on a sample of the components, checked to agree.
  const compiled: CompiledAdvisory[] = ids.map((id) => index.get(id)).filter((a): a is CompiledAdvisory => a !== undefined);
  const sample = sbom.components
    .slice(0, options.naiveComponents)
    .map(componentRefOf)
    .filter((r): r is ComponentRef => r !== null);
  const [naiveFound, naiveMs] = time(() =>
    sample.map((ref) => {
      const prepared = prepareComponent(ref);
      return compiled
        .filter((a) => evaluatePrepared(a, prepared).status !== 'not-affected')
        .map((a) => a.id)
        .sort();
    }),
  );
  const indexed = sample.map((ref) =>
    index
      .match(ref)
      .map((v) => v.advisoryId)
      .sort(),
  );
  const agree = JSON.stringify(naiveFound) === JSON.stringify(indexed);
  const naiveFullMs = (naiveMs / sample.length) * sbom.components.length;
  report('match.naive_ratio', naiveFullMs / warm, {
    naive_ms_extrapolated: Math.round(naiveFullMs),
    sampled_components: sample.length,
    naive_sample_ms: Math.round(naiveMs),
    agrees_with_index: agree,
  });

  // Reverse: operators × components drawn from real and synthetic packages, popular ones far more often.
  const pool = [
    ...packages,
    ...Array.from({ length: 20_000 }, (_, i) => ({
      ecosystem: 'npm',
      name: `synthetic-${i}`,
      versions: ['1.0.0', '1.1.0', '1.2.3', '2.0.0', '2.1.0'],
    })),
  ];
  const popularity = (): (typeof pool)[number] => pool[Math.floor(pool.length * next() ** 3)] as (typeof pool)[number];
  const components = new ComponentIndex<number>();
  const [, reverseBuildMs] = time(() => {
    for (let op = 0; op < options.operators; op++) {
      const refs: ComponentRef[] = [];
      for (let i = 0; i < options.componentsPerOperator; i++) {
        const p = popularity();
        refs.push({
          ecosystem: p.ecosystem,
          name: p.name,
          version: p.versions[Math.floor(next() * Math.min(p.versions.length, 6))] as string,
        });
      }
      components.add(op, refs);
    }
  });
  collect();
  const reverseRss = rssMb();
  // New advisories on the most widely held packages: the worst case for a reverse match.
  const targets = pool.slice(0, 20);
  const timings: number[] = [];
  let affected = 0;
  for (const [k, p] of targets.entries()) {
    const advisory = compileAdvisory({
      id: `NEW-${k}`,
      affected: [
        {
          package: { ecosystem: p.ecosystem, name: p.name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: p.versions[p.versions.length - 1] as string }] }],
        },
      ],
    });
    const [hits, ms] = time(() => components.affectedBy(advisory));
    timings.push(ms);
    affected = Math.max(affected, new Set(hits.map((h) => h.owner)).size);
  }
  const reverseExtra = {
    operators: options.operators,
    components: options.operators * options.componentsPerOperator,
    distinct_components: components.distinctComponents,
    build_ms: Math.round(reverseBuildMs),
  };
  report('match.reverse.advisory_ms', median(timings), {
    ...reverseExtra,
    max_ms: Math.round(Math.max(...timings) * 100) / 100,
    advisories: timings.length,
    most_operators_affected: affected,
    goal_ms: 10,
  });
  report('match.reverse.rss_mb', reverseRss, { ...reverseExtra, includes: 'the advisory index above', goal_mb: 2048 });
}

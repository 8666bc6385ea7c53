import { conflictsByScan, type CampaignFootprint } from '../src/modules/scanning/domain/campaign-conflicts.js';
import { CampaignOverlapIndex } from '../src/modules/scanning/domain/overlap-index.js';
import { readScanTarget, type ScanTarget } from '../src/modules/scanning/domain/scan-target.js';
import { TECHNIQUES } from '../src/modules/scanning/domain/techniques.js';
import { softwareVocabulary } from '../src/modules/scanning/service/vocabulary.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { report } from './report.js';
import { benchLeases } from './scanning-leases.js';

export interface ScanningBenchOptions {
  /** Campaigns registered before the checks. */
  readonly campaigns: number;
  /** New campaigns checked against them through the index. */
  readonly probes: number;
  /** New campaigns checked by the plain scan (the baseline), fewer since each takes long. */
  readonly naiveProbes: number;
  /** Lease claims per phase, and how many in flight at once. */
  readonly leaseClaims: number;
  readonly leaseConcurrency: number;
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-07-01T00:00:00Z');
const ECOSYSTEMS = [
  {
    type: 'npm',
    ecosystem: 'npm',
    version: (r: () => number) => `${Math.floor(r() * 20)}.${Math.floor(r() * 30)}.${Math.floor(r() * 10)}`,
  },
  { type: 'pypi', ecosystem: 'PyPI', version: (r: () => number) => `${Math.floor(r() * 10)}.${Math.floor(r() * 20)}` },
  {
    type: 'maven',
    ecosystem: 'Maven',
    version: (r: () => number) => `${Math.floor(r() * 10)}.${Math.floor(r() * 20)}.${Math.floor(r() * 5)}`,
  },
] as const;

/**
 * Synthetic registrations with the shape we expect: most campaigns on packages (Zipf-distributed popularity
 * over 20,000 packages, half narrowed to a version range), then repositories, products, networks (IPv4 and
 * IPv6 blocks of every size) and host names; windows of 1–60 days over a year; every technique.
 */
export function makeCampaigns(count: number, seed: number): CampaignFootprint[] {
  const random = seededRandom(seed);
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(Math.exp(random() * Math.log(n)) - 1));
  const read = (text: string, versions?: string): ScanTarget => {
    const r = readScanTarget(text, softwareVocabulary, versions);
    if (!r.ok) throw new Error(`${text}: ${r.reason}`);
    return r.target;
  };
  const randomTarget = (): ScanTarget => {
    const kind = random();
    if (kind < 0.6) {
      const eco = ECOSYSTEMS[Math.floor(random() * ECOSYSTEMS.length)] as (typeof ECOSYSTEMS)[number];
      const name = eco.type === 'maven' ? `org.example${zipf(200)}/lib${zipf(20_000)}` : `pkg${zipf(20_000)}`;
      if (random() < 0.5) return read(`pkg:${eco.type}/${name}`);
      const [a, b] = [eco.version(random), eco.version(random)];
      const order = softwareVocabulary.versionOrderFor(eco.ecosystem);
      const pa = order.parse(a as string);
      const pb = order.parse(b as string);
      if (pa === null || pb === null || order.compareParsed(pa, pb) === 0) return read(`pkg:${eco.type}/${name}@${a}`);
      const [low, high] = order.compareParsed(pa, pb) < 0 ? [a, b] : [b, a];
      return read(`pkg:${eco.type}/${name}`, `vers:${eco.type}/>=${low}|<${high}`);
    }
    if (kind < 0.7) return read(`https://github.com/org${zipf(2000)}/repo${zipf(5000)}`);
    if (kind < 0.75) return read(`cpe:2.3:a:vendor${zipf(500)}:product${zipf(2000)}:*:*:*:*:*:*:*:*`);
    if (kind < 0.85) {
      const prefix = 16 + Math.floor(random() * 17);
      const address = Math.floor(random() * 2 ** 32);
      const first = Number(BigInt(address) & (((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix)));
      return read(`${first >>> 24}.${(first >>> 16) & 255}.${(first >>> 8) & 255}.${first & 255}/${prefix}`);
    }
    if (kind < 0.9) {
      // Blocks of /32 to /112 inside one of 2,000 provider /32 allocations (popular ones more often).
      const prefix = 32 + 16 * Math.floor(random() * 6);
      const allocation = zipf(2000);
      const words = [0x2600 + (allocation >> 8), (allocation & 0xff) << 8];
      for (let i = 2; i < prefix / 16; i++) words.push(Math.floor(random() * 0x10000));
      return read(`${words.map((w) => w.toString(16)).join(':')}${prefix < 128 ? '::' : ''}/${prefix}`);
    }
    const host = `host${zipf(50_000)}.site${zipf(3000)}.example`;
    return read(random() < 0.2 ? `*.${host.slice(host.indexOf('.') + 1)}` : host);
  };
  return Array.from({ length: count }, (_, i) => {
    const targets = Array.from({ length: 1 + zipf(5) }, randomTarget);
    const technique = TECHNIQUES[Math.floor(random() * TECHNIQUES.length)] as (typeof TECHNIQUES)[number];
    const network = targets.some((t) => t.kind === 'cidr' || t.kind === 'hostname');
    const start = T0 + Math.floor(random() * 365) * DAY;
    return {
      id: `cmp_${i}`,
      orgId: `org_${Math.floor(random() * 40)}`,
      technique,
      active: network && technique !== 'sast' && technique !== 'source_review',
      targets,
      window: { startMs: start, endMs: start + (1 + Math.floor(random() * 60)) * DAY },
    };
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Deconfliction of one new campaign against the registered ones: the index, and a plain scan in the same run. */
export function benchScanningOverlap(options: ScanningBenchOptions): void {
  const registered = makeCampaigns(options.campaigns, 17);
  const probes = makeCampaigns(options.probes, 18).map((c) => ({ ...c, id: `new_${c.id}` }));
  const index = new CampaignOverlapIndex();
  const buildStart = performance.now();
  for (const c of registered) index.add(c);
  const buildMs = performance.now() - buildStart;
  for (const p of probes.slice(0, 50)) index.conflictsWith(p);
  const times: number[] = [];
  let conflicts = 0;
  for (const p of probes) {
    const start = performance.now();
    conflicts += index.conflictsWith(p).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  report('scanning.overlap.index', mean, {
    unit: 'ms/campaign',
    registered: registered.length,
    probes: probes.length,
    p50: Math.round(percentile(times, 50) * 1000) / 1000,
    p99: Math.round(percentile(times, 99) * 1000) / 1000,
    max: Math.round((times[times.length - 1] ?? 0) * 1000) / 1000,
    conflictsPerCampaign: Math.round((conflicts / probes.length) * 100) / 100,
    goal: 5,
  });
  report('scanning.overlap.index-build', buildMs, { unit: 'ms', registered: registered.length });
  const naive: number[] = [];
  let agree = true;
  for (const p of probes.slice(0, options.naiveProbes)) {
    const start = performance.now();
    const expected = conflictsByScan(p, registered);
    naive.push(performance.now() - start);
    if (expected.length !== index.conflictsWith(p).length) agree = false;
  }
  report('scanning.overlap.naive', naive.reduce((a, b) => a + b, 0) / naive.length, {
    unit: 'ms/campaign',
    registered: registered.length,
    probes: naive.length,
    baseline: true,
    sameAnswers: agree,
  });
}

/** `npm run bench -- scanning`. */
export async function benchScanning(options: ScanningBenchOptions): Promise<void> {
  benchScanningOverlap(options);
  await benchLeases({ claims: options.leaseClaims, concurrency: options.leaseConcurrency });
}

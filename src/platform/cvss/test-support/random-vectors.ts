import { CVSS_METRICS, type CvssVersion } from '../cvss-metrics.js';

/**
 * Random well-formed vectors of a version: every base metric, and each optional metric present with a
 * probability drawn per vector (so that sparse and dense vectors both occur), Not Defined included.
 */
export function randomVectors(version: CvssVersion, count: number, random: () => number): string[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const density = random();
    const parts = version === '2.0' ? [] : [`CVSS:${version}`];
    for (const metric of CVSS_METRICS[version]) {
      if (metric.group === 'base') parts.push(`${metric.key}:${pick(metric.values)}`);
      else if (random() < density) parts.push(`${metric.key}:${pick(metric.values)}`);
    }
    out.push(parts.join('/'));
  }
  return out;
}

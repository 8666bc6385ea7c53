import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { beforeAll, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { AdvisoryIndex } from './match-index.js';
import { readOsvRecord, type OsvRecord } from './osv-record.js';

/**
 * End to end on real data: components built from versions the Go and RustSec advisories name, matched
 * through the index, checked against a naive scan of every advisory with a deliberately simple, separate
 * evaluator (node-semver directly, introduced/fixed pairs; these corpora use no other events).
 */

function loadAll(dir: string): OsvRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readOsvRecord(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
}

function naiveAffected(record: OsvRecord, ecosystem: string, name: string, version: string): boolean {
  if (record.withdrawn) return false;
  const bare = version.replace(/^v/, '');
  return (record.affected ?? []).some((a) => {
    if (a.package?.ecosystem !== ecosystem) return false;
    const sameName =
      ecosystem === 'crates.io'
        ? a.package.name.toLowerCase().replace(/-/g, '_') === name.toLowerCase().replace(/-/g, '_')
        : a.package.name === name;
    if (!sameName) return false;
    return (a.ranges ?? []).some((r) => {
      if (r.type !== 'SEMVER') return false;
      let inRange = false;
      const sorted = [...r.events].sort((x, y) => {
        const vx = x.introduced ?? x.fixed ?? '0';
        const vy = y.introduced ?? y.fixed ?? '0';
        if (vx === '0' || vy === '0') return vx === vy ? 0 : vx === '0' ? -1 : 1;
        return semver.compare(vx, vy) || (x.introduced !== undefined ? -1 : 1);
      });
      for (const e of sorted) {
        if (e.introduced !== undefined && (e.introduced === '0' || semver.gte(bare, e.introduced))) inRange = true;
        else if (e.fixed !== undefined && semver.gte(bare, e.fixed)) inRange = false;
      }
      return inRange;
    });
  });
}

for (const { label, ecosystem, dir, prefix } of [
  { label: 'crates.io', ecosystem: 'crates.io', dir: 'osv/crates-io/crates', prefix: '' },
  { label: 'Go', ecosystem: 'Go', dir: 'osv/go/data/osv', prefix: 'v' },
]) {
  describeWithData(`forward matching against every ${label} advisory`, dir, () => {
    let records: OsvRecord[] = [];
    const index = new AdvisoryIndex();
    const lazily = new AdvisoryIndex({ lazy: true });
    beforeAll(() => {
      records = loadAll(sharedData(dir));
      for (const r of records) index.upsert(r);
      for (const r of records) lazily.upsert(r);
    });

    it("agrees with a naive scan for components at every 7th advisory's event versions", () => {
      const probes = new Map<string, { name: string; version: string }>();
      records.forEach((r, i) => {
        if (i % 7 !== 0) return;
        for (const a of r.affected ?? []) {
          for (const range of a.ranges ?? []) {
            for (const e of range.events) {
              const v = e.introduced ?? e.fixed;
              if (!a.package || v === undefined || v === '0') continue;
              const p = semver.parse(v);
              const around = p ? [v, `${p.major}.${p.minor}.${p.patch + 1}`] : [v];
              for (const version of around)
                probes.set(`${a.package.name}@${version}`, { name: a.package.name, version: `${prefix}${version}` });
            }
          }
        }
      });
      expect(probes.size).toBeGreaterThan(300);
      const mismatches: string[] = [];
      for (const { name, version } of probes.values()) {
        const got = index
          .match({ ecosystem, name, version })
          .filter((v) => v.status === 'affected')
          .map((v) => v.advisoryId)
          .sort();
        const want = records
          .filter((r) => naiveAffected(r, ecosystem, name, version))
          .map((r) => r.id)
          .sort();
        if (JSON.stringify(got) !== JSON.stringify(want))
          mismatches.push(`${name}@${version}: index ${got.join(',')} naive ${want.join(',')}`);
        // The lazily compiled index gives the same verdicts, reasons and fixed versions included.
        const lazy = lazily.match({ ecosystem, name, version });
        const eager = index.match({ ecosystem, name, version });
        if (JSON.stringify(lazy) !== JSON.stringify(eager)) mismatches.push(`${name}@${version}: lazily compiled index differs`);
      }
      expect(mismatches).toEqual([]);
    });
  });
}

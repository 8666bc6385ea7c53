import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { valid as validPep440 } from '@renovatebot/pep440';
import { parse as parseYaml } from 'yaml';
import { filesUnder } from '../../../platform/files.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { compileAdvisory, evaluateAdvisory, evaluateOsv, type CompiledAdvisory } from './osv-evaluate.js';
import { readOsvRecord, type OsvRecord } from './osv-record.js';
import { compileRange, evaluateRange } from './osv-range.js';
import { versionOrderFor } from './version-order-registry.js';

function load(file: string): OsvRecord {
  const text = readFileSync(file, 'utf8');
  return readOsvRecord(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
}

const CORPORA = [
  { name: 'PyPI', dir: 'osv/pypi', minimum: 2600 },
  { name: 'Go', dir: 'osv/go/data/osv', minimum: 4200 },
  { name: 'crates.io', dir: 'osv/crates-io/crates', minimum: 1200 },
];

for (const corpus of CORPORA) {
  describeWithData(`real OSV advisories: ${corpus.name}`, corpus.dir, () => {
    const records: OsvRecord[] = [];
    beforeAll(() => {
      for (const f of filesUnder(sharedData(corpus.dir), /\.(json|ya?ml)$/)) records.push(load(f));
    });

    it('reads every advisory with zero failures', () => {
      expect(records.length).toBeGreaterThanOrEqual(corpus.minimum);
    });

    it('compiles every SEMVER/ECOSYSTEM range whose bounds are valid versions of the ecosystem', () => {
      const invalid: string[] = [];
      for (const r of records) {
        for (const a of compileAdvisory(r).affected) for (const range of a.ranges) if (range.invalid) invalid.push(r.id);
      }
      // Go and RustSec bounds are all SemVer. A few historic PyPI bounds are not PEP 440 ("2019-09-12"):
      // checked against the pep440 library directly, those ranges evaluate to "unknown", never a guess.
      const pep440Invalid = records.flatMap((r) =>
        (r.affected ?? [])
          .flatMap((a) =>
            (a.ranges ?? []).filter((x) => x.type !== 'GIT').flatMap((x) => x.events.flatMap((e) => Object.values(e) as string[])),
          )
          .filter((v) => v !== '0' && validPep440(v) === null)
          .map(() => r.id),
      );
      expect(invalid.length).toBeLessThanOrEqual(corpus.name === 'PyPI' ? 5 : 0);
      if (corpus.name === 'PyPI') expect(new Set(invalid)).toEqual(new Set(pep440Invalid));
    });

    it('never calls a range fixed version affected by that range, and calls each introduced version affected', () => {
      const failures: string[] = [];
      for (const r of records) {
        for (const entry of r.affected ?? []) {
          const order = versionOrderFor(entry.package?.ecosystem ?? '');
          (entry.ranges ?? []).forEach((range, i) => {
            if (range.type === 'GIT') return;
            const compiled = compileRange(range, i, order);
            const closers = range.events.flatMap((e) => (e.fixed !== undefined ? [e.fixed] : []));
            for (const e of range.events) {
              const v = e.fixed ?? e.introduced;
              if (v === undefined || v === '0') continue;
              const parsed = order.parse(v);
              if (parsed === null) continue;
              const affected = evaluateRange(compiled, parsed).affected;
              // An introduced version is affected unless the same point is also fixed.
              const expected = e.introduced !== undefined && !closers.some((f) => order.compare(f, v) === 0);
              if (affected !== expected) failures.push(`${r.id} range ${i}: ${v} affected=${affected}`);
            }
          });
        }
      }
      expect(failures).toEqual([]);
    });

    it('calls every listed versions[] entry affected (unless withdrawn)', () => {
      const failures: string[] = [];
      let checked = 0;
      for (const r of records) {
        if (r.withdrawn) continue;
        const compiled: CompiledAdvisory = compileAdvisory(r);
        for (const entry of r.affected ?? []) {
          if (!entry.package) continue;
          for (const version of entry.versions ?? []) {
            checked++;
            const verdict = evaluateAdvisory(compiled, { ecosystem: entry.package.ecosystem, name: entry.package.name, version });
            if (verdict.status !== 'affected') failures.push(`${r.id} ${entry.package.name}@${version}: ${verdict.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
      if (corpus.name === 'PyPI') expect(checked).toBeGreaterThan(10_000);
    });

    it('ignores every withdrawn advisory', () => {
      for (const r of records.filter((x) => x.withdrawn)) {
        const p = r.affected?.[0]?.package;
        if (!p) continue;
        expect(evaluateOsv(r, { ecosystem: p.ecosystem, name: p.name, version: '0.0.1' }).status).toBe('not-affected');
      }
    });
  });
}

// Hand-picked advisories; expectations read from the advisory files themselves.
describeWithData('hand-picked real advisories', 'osv', () => {
  const get = (rel: string) => load(sharedData('osv', rel));

  it('GO-2020-0001 (gin: introduced 0, fixed 1.6.0), with SBOM-style "v" versions', () => {
    const r = get('go/data/osv/GO-2020-0001.json');
    const gin = (version: string) => evaluateOsv(r, { ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version });
    expect(gin('v1.5.0').status).toBe('affected');
    expect(gin('v1.5.0').fixed).toEqual(['1.6.0']);
    expect(gin('v1.6.0-rc.1').status).toBe('affected');
    expect(gin('v1.6.0').status).toBe('not-affected');
    expect(evaluateOsv(r, { ecosystem: 'Go', name: 'github.com/Gin-Gonic/gin', version: 'v1.5.0' }).status).toBe('not-affected');
  });

  it('RUSTSEC-2024-0439 (wasmtime: five intervals in one SEMVER range)', () => {
    const r = get('crates-io/crates/RUSTSEC-2024-0439.json');
    const w = (version: string) => evaluateOsv(r, { ecosystem: 'crates.io', name: 'wasmtime', version });
    expect(
      ['18.0.0', '19.0.0', '21.0.1', '21.0.2', '22.0.0', '22.0.1', '23.0.2', '24.0.1', '25.0.1', '25.0.2'].map((v) => w(v).status),
    ).toEqual([
      'not-affected',
      'affected',
      'affected',
      'not-affected',
      'affected',
      'not-affected',
      'affected',
      'not-affected',
      'affected',
      'not-affected',
    ]);
    expect(w('21.0.1').fixed).toEqual(['21.0.2', '22.0.1', '23.0.3', '24.0.1', '25.0.2']);
    expect(w('21.0.1').evidence[0]).toMatchObject({ introduced: '19.0.0', fixed: '21.0.2' });
  });

  it('PYSEC-2022-42969 (py: last_affected 1.11.0, and a legacy version in versions[])', () => {
    const r = get('pypi/vulns/py/PYSEC-2022-42969.yaml');
    const py = (version: string) => evaluateOsv(r, { ecosystem: 'PyPI', name: 'Py', version });
    expect(py('1.11.0').status).toBe('affected');
    expect(py('1.11.0').fixed).toEqual([]);
    expect(py('1.11.1').status).toBe('not-affected');
    expect(py('0.8.0-alpha2').status).toBe('affected');
  });

  it('PYSEC-2023-74 (requests: ECOSYSTEM 2.3.0 to 2.31.0 beside a GIT range)', () => {
    const r = get('osv-schema/tools/osv-linter/testdata/PYSEC-2023-74.json');
    const req = (version: string | null) => evaluateOsv(r, { ecosystem: 'PyPI', name: 'requests', version });
    expect(req('2.30.0').status).toBe('affected');
    expect(req('2.30.0').fixed).toEqual(['2.31.0']);
    expect(req('2.2.1').status).toBe('not-affected');
    expect(req('2.31.0').status).toBe('not-affected');
    expect(req(null).status).toBe('unknown');
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { ROOT } from '#test-support/spawn.js';
import { hasSharedData, sharedData } from '#test-support/shared-data.js';
import { nativeDocument, nativeFinding } from '../modules/intake/test-support/native.js';
import { standaloneModule, type ValidatorBuild } from '../platform/input/prebuilt-validators.js';
import { MODULES } from './modules.js';

// Written inside the checkout, so that the generated code's require("ajv/dist/runtime/…") finds node_modules.
const dir = mkdtempSync(path.join(ROOT, '.prebuilt-validators-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = createRequire(import.meta.url);

/** The validator as `npm run build` writes it and a process loads it. */
function generated(build: ValidatorBuild): ValidateFunction {
  const file = path.join(dir, `${build.name}.cjs`);
  writeFileSync(file, standaloneModule(build));
  return (load(file) as (runtime: Record<string, unknown>) => ValidateFunction)({ formats: fullFormats, ...build.runtime?.() });
}

const lib = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'library',
  name,
  version: '1.0',
  purl: `pkg:npm/${name}@1.0`,
  ...extra,
});
const cdx = (extra: Record<string, unknown>) => ({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, ...extra });
const osv = (extra: Record<string, unknown>) => ({ id: 'PYSEC-2026-1', modified: '2026-01-01T00:00:00Z', ...extra });

/** Documents valid and invalid in each format: every generated validator must answer each as its compiled twin does. */
const SYNTHETIC: Record<string, unknown> = {
  'cdx valid': cdx({ components: [lib('a'), lib('b')], metadata: { timestamp: '2026-01-01T00:00:00Z' } }),
  'cdx duplicate components (linear uniqueItems)': cdx({ components: [lib('a'), lib('b'), { ...lib('a') }] }),
  'cdx duplicate in a nested array': cdx({
    components: [lib('a', { licenses: [{ license: { id: 'MIT' } }, { license: { id: 'MIT' } }] })],
  }),
  'cdx bad date-time, uri, idn-email and iri-reference': cdx({
    metadata: { timestamp: 'yesterday', authors: [{ name: 'x', email: 'not an email' }] },
    externalReferences: [{ type: 'website', url: 'has spaces in it' }],
    components: [lib('a', { externalReferences: [{ type: 'vcs', url: 'git+https://example.com/a.git' }] })],
  }),
  'cdx wrong types': cdx({ version: 'one', components: [{ type: 'nonsense' }] }),
  'osv valid': osv({ aliases: ['CVE-2026-0001'], affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' } }] }),
  'osv bad': osv({ modified: 'soon', aliases: 'CVE-2026-0001', affected: [{ ranges: [{ type: 'NOPE', events: [] }] }] }),
  'native valid': JSON.parse(nativeDocument([nativeFinding()]).toString()) as unknown,
  'native bad': JSON.parse(nativeDocument([nativeFinding({ cwe: 'CWE-89', location: { startLine: -1 } })]).toString()) as unknown,
  'sarif valid': { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] },
  'sarif bad': { version: '2.0', runs: [{ tool: {}, results: [{ level: 'loud' }] }] },
  'not an object': ['a', 1, null],
};

/** Up to `count` JSON files under a corpus folder, when the corpora are present. */
function corpus(folder: string, suffix: RegExp, count: number): Record<string, unknown> {
  if (!hasSharedData(folder)) return {};
  const out: Record<string, unknown> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      if (Object.keys(out).length >= count) return;
      const file = path.join(at, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (suffix.test(name)) {
        try {
          out[path.relative(sharedData(), file)] = JSON.parse(readFileSync(file, 'utf8'));
        } catch {
          // not JSON (a YAML or XML sibling): not a document for these validators
        }
      }
    }
  };
  walk(sharedData(folder));
  return out;
}

const DOCUMENTS = {
  ...SYNTHETIC,
  ...corpus('sbom/cyclonedx', /\.json$/, 30),
  ...corpus('osv/pypi', /\.json$/, 20),
  ...corpus('sarif/codeql-action/src/testdata', /\.sarif$/, 10),
};

const BUILDS = MODULES.flatMap((m) => m.prebuiltValidators ?? []);

describe('validators generated at build time answer as the compiled ones do', () => {
  it('the modules declare them: intake (SARIF, OSV, native) and inventory (every CycloneDX JSON version)', () => {
    expect(BUILDS.map((b) => b.name)).toEqual([
      'intake-sarif',
      'intake-osv',
      'intake-native',
      ...['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'].map((v) => `inventory-cyclonedx-${v}`),
    ]);
  });

  it.each(BUILDS.map((b) => [b.name, b] as const))('%s: same verdict and same errors on every document', (_name, build) => {
    const compiled = build.compile().validate;
    const code = generated(build);
    let valid = 0;
    for (const [name, doc] of Object.entries(DOCUMENTS)) {
      const expected = { valid: compiled(doc), errors: compiled.errors ?? null };
      const actual = { valid: code(doc), errors: code.errors ?? null };
      expect(actual, name).toEqual(expected);
      if (expected.valid) valid++;
    }
    // Not a comparison of two refusals only: each validator accepts some document here.
    expect(valid).toBeGreaterThan(0);
  });

  it('the generated CycloneDX code checks uniqueItems in one pass, naming the two equal items', () => {
    const build = BUILDS.find((b) => b.name === 'inventory-cyclonedx-1.5');
    const validate = generated(build!);
    expect(validate(SYNTHETIC['cdx duplicate components (linear uniqueItems)'])).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({
        instancePath: '/components',
        params: { i: 0, j: 2 },
        message: 'must NOT have duplicate items (items ## 0 and 2 are identical)',
      }),
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPackageUrl,
  canonicalPackageUrl,
  formatPackageUrl,
  packageIdentity,
  parsePackageUrl,
  type PackageUrl,
  type PurlInput,
} from './purl.js';

// The purl specification's own test suite (package-url/purl-spec; see testdata/README.md for the commit):
// every parse, canonical-form ("validate") and build case, required and recommended.
interface SpecComponents {
  type: string | null;
  namespace: string | null;
  name: string | null;
  version: string | null;
  qualifiers: Record<string, string> | null;
  subpath: string | null;
}
interface SpecCase {
  description: string;
  test_type: 'parse' | 'validate' | 'build' | 'roundtrip';
  input: string | SpecComponents;
  expected_output: string | SpecComponents | null;
  expected_failure: boolean;
}

const root = new URL('./testdata/purl-spec/tests/', import.meta.url);
const files = ['spec', 'types'].flatMap((dir) => readdirSync(new URL(`${dir}/`, root)).map((f) => `${dir}/${f}`));
const suite = files.flatMap((file) =>
  (JSON.parse(readFileSync(new URL(file, root), 'utf8')) as { tests: SpecCase[] }).tests.map((c) => ({ file, ...c })),
);

function components(p: PackageUrl): SpecComponents {
  return {
    type: p.type,
    namespace: p.namespace,
    name: p.name,
    version: p.version,
    qualifiers: Object.keys(p.qualifiers).length === 0 ? null : { ...p.qualifiers },
    subpath: p.subpath,
  };
}

function run(c: SpecCase): unknown {
  if (c.test_type === 'build') {
    const r = buildPackageUrl(c.input as PurlInput);
    return r.ok ? formatPackageUrl(r.value) : null;
  }
  if (c.test_type === 'parse') {
    const r = parsePackageUrl(c.input as string);
    return r.ok ? components(r.value) : null;
  }
  return canonicalPackageUrl(c.input as string);
}

// The suite contradicts itself on upper-case qualifier keys: these two required cases want "Platform=" and
// "Arch=" refused, while maven's required parse case (and four recommended ones) want "repositorY_url=" read as
// "repository_url", as how-to-parse says ("the key is the lowercase left side"). We follow how-to-parse.
const DISAGREEMENTS = new Set([
  'pkg:gem/jruby-launcher@1.1.2?Platform=java',
  'pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25',
]);
const isDisagreement = (c: SpecCase): boolean => c.test_type === 'parse' && c.expected_failure && DISAGREEMENTS.has(c.input as string);

describe('purl-spec test suite', () => {
  it('has the published cases', () => {
    expect(suite.length).toBe(586);
    expect(suite.filter(isDisagreement)).toHaveLength(2);
  });

  it.each(suite.map((c, i) => [`${c.file} #${i} ${c.test_type}: ${c.description}`, c] as const))('%s', (_, c) => {
    const got = run(c);
    if (isDisagreement(c)) expect(got).not.toBeNull();
    else if (c.expected_failure) expect(got).toBeNull();
    else expect(got).toEqual(c.expected_output);
  });
});

describe('parsePackageUrl', () => {
  it('reads version-less swift, cran and namespaced conan purls that packageurl-js refused', () => {
    for (const purl of ['pkg:swift/github.com/Alamofire/Alamofire', 'pkg:cran/A3', 'pkg:conan/bincrafters/cctz']) {
      expect(parsePackageUrl(purl).ok, purl).toBe(true);
    }
  });

  it('keeps ":" and encodes "+" in the canonical form', () => {
    expect(canonicalPackageUrl('pkg:deb/debian/curl@7.50.3-1+deb9u1?distro=debian:9#a:b')).toBe(
      'pkg:deb/debian/curl@7.50.3-1%2Bdeb9u1?distro=debian:9#a:b',
    );
  });

  it('answers a reason, never throws, on malformed input', () => {
    for (const bad of ['', 'pkg:', 'pkg:npm', 'pkg:npm/%zz', 'npm/foo', 'pkg:npm/a?x=%', 'pkg:npm/a?a=1&A=2']) {
      const r = parsePackageUrl(bad);
      expect(r.ok, bad).toBe(false);
    }
  });

  it('names the package without version, qualifiers or subpath', () => {
    const r = parsePackageUrl('pkg:npm/%40angular/core@1.0.0?x=y#dist');
    expect(r.ok && packageIdentity(r.value)).toBe('pkg:npm/%40angular/core');
  });
});

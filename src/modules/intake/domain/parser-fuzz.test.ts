import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeWithData } from '../../../../test/support/shared-data.js';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { fingerprintFinding } from './fingerprint.js';
import { NATIVE_SCHEMA_MARKER } from './native-schema.js';
import { parseSubmission } from './parse-submission.js';
import { corpusFiles, shortName } from '../test-support/corpus.js';

/**
 * Parsers meet arbitrary bytes. Whatever they are given, they either read it or throw InputError or
 * UnsupportedMediaTypeError — never a TypeError from a field that was not where it was expected. Mutations
 * are drawn from a fixed seed, so a failure names a case that fails again.
 */

const SEED = 20260602;
const MUTATIONS_PER_FILE = 12;
// Larger files cost a schema walk per mutation; the small ones already cover every parser path.
const MAX_FUZZ_BYTES = 200_000;

/** mulberry32: a small, well-mixed 32-bit generator. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const WRONG_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'x'.repeat(300),
  true,
  [],
  {},
  [null],
  { '': [] },
  '../../etc/passwd',
  'pkg:',
  'CVE-0000-0000',
];

/** Every object or array inside the value, with the key that reaches it from its parent. */
function containers(value: unknown): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    out.push(node as Record<string, unknown>);
    stack.push(...Object.values(node));
  }
  return out;
}

function mutateStructure(doc: unknown, rand: Rand): string {
  const copy = structuredClone(doc);
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const nodes = containers(copy);
    const node = pick(rand, nodes);
    const keys = Object.keys(node);
    if (keys.length === 0) continue;
    const key = pick(rand, keys);
    const action = rand();
    if (Array.isArray(node)) {
      if (action < 0.4) node.splice(Number(key), 1);
      else node[Number(key)] = pick(rand, WRONG_VALUES);
    } else if (action < 0.4) delete node[key];
    else if (action < 0.9) node[key] = structuredClone(pick(rand, WRONG_VALUES));
    else node[`${key}_extra`] = node[key];
  }
  return JSON.stringify(copy);
}

function mutateBytes(bytes: Uint8Array, rand: Rand): Uint8Array {
  const action = rand();
  if (action < 0.35) return bytes.slice(0, Math.floor(rand() * bytes.length));
  const out = Uint8Array.from(bytes);
  const flips = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < flips; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return out;
}

/** What happened to one mutated input: `ok`, an allowed error, or the unexpected error's description. */
function outcome(input: string | Uint8Array): string {
  try {
    const parsed = parseSubmission(input);
    for (const finding of parsed.findings) fingerprintFinding(finding);
    return 'ok';
  } catch (error) {
    if (error instanceof InputError || error instanceof UnsupportedMediaTypeError) return 'refused';
    return `${(error as Error).name}: ${(error as Error).message}\n${(error as Error).stack?.split('\n').slice(1, 4).join('\n') ?? ''}`;
  }
}

function fuzz(name: string, bytes: Uint8Array, doc: unknown, rand: Rand): string[] {
  const failures: string[] = [];
  for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
    const input = i % 2 === 0 ? mutateStructure(doc, rand) : mutateBytes(bytes, rand);
    const result = outcome(input);
    if (result !== 'ok' && result !== 'refused') failures.push(`${name} #${i}: ${result}`);
  }
  return failures;
}

describe('parser fuzzing on a native document', () => {
  it('only reads or refuses', () => {
    const doc = {
      schema: NATIVE_SCHEMA_MARKER,
      provenance: { tool: { name: 't', version: '1' }, aiGenerated: false },
      findings: [
        {
          target: { purl: 'pkg:npm/x@1' },
          title: 'x',
          cwe: ['79'],
          location: { path: 'a.js', function: 'f', startLine: 1 },
          cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          evidence: { proofOfConcept: [{ sha256: 'a'.repeat(64) }], reproductionSteps: ['run'] },
          credit: { mode: 'named', name: 'me' },
        },
        { target: { repository: { url: 'https://github.com/a/b', commit: 'abcdef1' } }, title: 'y', aliases: ['CVE-2024-1'] },
      ],
    };
    const rand = random(SEED);
    const failures: string[] = [];
    for (let round = 0; round < 20; round++) failures.push(...fuzz('native', new TextEncoder().encode(JSON.stringify(doc)), doc, rand));
    expect(failures).toEqual([]);
  });
});

describeWithData('parser fuzzing on the shared corpora', 'sarif', () => {
  const groups: [string, string, RegExp, number][] = [
    ['SARIF', 'sarif', /\.(sarif|golden)$/, 40],
    ['OSV Go', 'osv/go', /\.json$/, 15],
    ['OSV crates.io', 'osv/crates-io', /\.json$/, 15],
    ['OSV PyPI (YAML)', 'osv/pypi', /\.yaml$/, 15],
    ['OSV schema test data', 'osv/osv-schema/tools', /\.json$/, 40],
    ['CVE records', 'cve/records', /^CVE-.*\.json$/, 15],
    ['CVE fixtures and Go CNA', 'cve', /^(GO-2020|CVE-2017).*\.json$/, 25],
    ['CSAF', 'csaf/csaf_2.0/examples/csaf', /\.json$/, 40],
    ['CSAF Red Hat', 'csaf/redhat-real', /\.json$/, 5],
  ];

  it.each(groups)('%s: mutated files are read or refused, nothing else', (_label, folder, pattern, count) => {
    const rand = random(SEED);
    const all = corpusFiles(folder, pattern).filter((f) => statSync(f).size <= MAX_FUZZ_BYTES);
    // A seeded sample, so the run stays short yet reaches different records than the first few.
    const files = all.length <= count ? all : Array.from({ length: count }, () => pick(rand, all));
    expect(files.length).toBeGreaterThan(0);
    const failures = files.flatMap((file) => {
      const bytes = readFileSync(file);
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      return fuzz(shortName(file), bytes, file.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text), rand);
    });
    expect(failures).toEqual([]);
  });
});

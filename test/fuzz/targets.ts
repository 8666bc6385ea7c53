import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { readInspectLog } from '../../src/modules/frontier/index.js';
import { inspectJsonLog } from '../../src/modules/frontier/test-support/eval-archive.js';
import { fingerprintFinding } from '../../src/modules/intake/domain/fingerprint.js';
import { NATIVE_SCHEMA_MARKER } from '../../src/modules/intake/domain/native-schema.js';
import { parseSubmission } from '../../src/modules/intake/index.js';
import { checkFormatLimit, decodeUpload } from '../../src/modules/intake/service/upload.js';
import { parseSbom } from '../../src/modules/inventory/domain/sbom-parse.js';
import { readZip } from '../../src/modules/inventory/files/zip-reader.js';
import { readValidOsvRecord } from '../../src/modules/inventory/service/osv-input.js';
import { parseEpssFeed } from '../../src/modules/scoring/domain/epss-feed.js';
import { parseKevCatalog } from '../../src/modules/scoring/domain/kev-catalog.js';
import { readYaml } from '../../src/platform/input/yaml.js';
import { hasSharedData, sharedData } from '#test-support/shared-data.js';
import { mutateGzip, mutateZip } from './archives.js';
import {
  int,
  mutateBytes,
  mutateJsonText,
  mutateLines,
  mutateValue,
  mutateXmlText,
  mutateYamlText,
  text,
  utf8,
  type Rand,
} from './mutators.js';

/**
 * Every parser the product has, each with its entry point (the function the routes and the CLI call),
 * the corpus its seeds come from and the mutations that fit its syntax.
 */

export type Syntax = 'json' | 'yaml' | 'xml' | 'tag-value' | 'csv' | 'inspect' | 'zip';

export interface FuzzTarget {
  readonly name: string;
  /** Folder under ../shared/data the seeds come from; null when the seeds are inline. */
  readonly corpus: string | null;
  readonly syntax: Syntax;
  /** Also wrapped in gzip by some mutations (the reader inflates gzip). */
  readonly gzip: boolean;
  seeds(): readonly Uint8Array[];
  /** The entry point, as the product calls it. Returns normally or throws. */
  run(input: Uint8Array): void;
}

/** Seeds are capped: larger documents have their arrays cut to this many items first. */
const MAX_SEED_BYTES = 256 * 1024;
const MAX_ARRAY_ITEMS = 25;
const MAX_SEEDS = 400;

function filesIn(folder: string, pattern: RegExp): string[] {
  const root = sharedData(folder);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Every n-th file, so a seed set spans the corpus rather than its first folder. */
function spread(files: readonly string[]): string[] {
  const step = Math.max(1, Math.ceil(files.length / MAX_SEEDS));
  return files.filter((_, i) => i % step === 0);
}

function shrinkArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY_ITEMS).map(shrinkArrays);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrinkArrays(v)]));
  return value;
}

/** A shrunk KEV catalog keeps its `count` true to its list, or every seed would be refused for that alone. */
function consistentCount(doc: unknown): unknown {
  const record = doc as { count?: unknown; vulnerabilities?: unknown };
  if (typeof record.count === 'number' && Array.isArray(record.vulnerabilities)) record.count = record.vulnerabilities.length;
  return doc;
}

function corpusSeeds(folder: string, pattern: RegExp, syntax: Syntax): Uint8Array[] {
  if (!hasSharedData(folder)) return [];
  // Documents that cannot be shrunk as JSON can are taken only when small: a mutation repeats parts of them.
  const fits = (f: string): boolean => statSync(f).size > 0 && (syntax === 'json' || statSync(f).size <= MAX_SEED_BYTES);
  return spread(filesIn(folder, pattern).filter(fits)).map((file) => {
    const bytes = readFileSync(file);
    if (bytes.length <= MAX_SEED_BYTES || syntax !== 'json') return bytes;
    return utf8(JSON.stringify(consistentCount(shrinkArrays(JSON.parse(text(bytes).replace(/^\uFEFF/, ''))))));
  });
}

function parsedSeed(bytes: Uint8Array, syntax: Syntax): unknown {
  try {
    const source = text(bytes).replace(/^\uFEFF/, '');
    return syntax === 'yaml' ? parseYaml(source) : JSON.parse(source);
  } catch {
    return undefined;
  }
}

/** One hostile variant of a seed, by the target's syntax. */
export function mutate(target: FuzzTarget, seed: Uint8Array, rand: Rand): Uint8Array {
  const roll = rand();
  if (target.gzip && roll < 0.08) return mutateGzip(mutateOnce(target, seed, rand), rand);
  return mutateOnce(target, seed, rand);
}

function mutateOnce(target: FuzzTarget, seed: Uint8Array, rand: Rand): Uint8Array {
  const roll = rand();
  if (roll < 0.25) return mutateBytes(seed, rand);
  const source = text(seed);
  switch (target.syntax) {
    case 'json': {
      if (roll < 0.45) return utf8(mutateJsonText(source, rand));
      const doc = parsedSeed(seed, 'json');
      return doc === undefined ? mutateBytes(seed, rand) : utf8(JSON.stringify(mutateValue(doc, rand)));
    }
    case 'yaml': {
      if (roll < 0.45) return utf8(mutateYamlText(source, rand));
      const doc = parsedSeed(seed, 'yaml');
      return doc === undefined ? mutateBytes(seed, rand) : utf8(stringifyYaml(mutateValue(doc, rand), { aliasDuplicateObjects: false }));
    }
    case 'xml':
      return utf8(mutateXmlText(source, rand));
    case 'tag-value':
      return utf8(mutateLines(source, rand, /:\s*/));
    case 'csv':
      return utf8(mutateLines(source, rand, /,/));
    case 'inspect': {
      const json = utf8(roll < 0.5 ? mutateJsonText(source, rand) : JSON.stringify(mutateValue(parsedSeed(seed, 'json') ?? {}, rand)));
      if (rand() < 0.5) return json;
      const files = [
        { name: 'header.json', content: json },
        { name: 'summaries.json', content: '[{"id": 1, "scores": {"s": {"value": "C"}}}]' },
        { name: `samples/${int(rand, 9)}_epoch_1.json`, content: '{"id": 1, "scores": {"s": {"value": NaN}}}' },
      ];
      return mutateZip(files.slice(0, 1 + int(rand, 3)), rand);
    }
    case 'zip': {
      const record = utf8(roll < 0.5 ? mutateJsonText(source, rand) : JSON.stringify(mutateValue(parsedSeed(seed, 'json') ?? {}, rand)));
      return mutateZip(
        [
          { name: 'GHSA-1.json', content: record },
          { name: 'PYSEC-1.json', content: seed },
          { name: 'dir/', content: '' },
        ],
        rand,
      );
    }
  }
}

// The native findings format has no public corpus; this document exercises every field the reader takes.
const NATIVE_SEED = {
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

/** EPSS publishes no corpus small enough to keep; these are in the shapes FIRST publishes. */
const EPSS_SEEDS = [
  '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.01167,0.83420\nCVE-2021-44228,0.97565,0.99996\n',
  '#model_version:v2023.03.01,score_date:2023-03-01\r\ncve,epss,percentile\r\nCVE-2022-27225,0.00043,0.08220\r\n',
  '{"status":"OK","status-code":200,"version":"1.0","total":1,"offset":0,"limit":100,"data":[{"cve":"CVE-2022-27225","epss":"0.000430000","percentile":"0.082200000","date":"2023-03-01"}]}',
];

/** Intake as the service runs it: the upload decoded (gzip inflated with a cap), parsed, fingerprinted, size-checked. */
function intake(input: Uint8Array): void {
  const bytes = decodeUpload(input, 'the fuzz input');
  const parsed = parseSubmission(bytes, { format: 'auto', includeRejected: true });
  for (const finding of parsed.findings) fingerprintFinding(finding);
  checkFormatLimit(parsed.format, bytes.length, 'the fuzz input');
}

/** Inventory's OSV reading (`match --osv`, `inventory advisories import`): JSON or YAML, one record or many. */
function osvForMatching(input: Uint8Array, yaml: boolean): void {
  const source = text(input).replace(/^\uFEFF/, '');
  let doc: unknown;
  if (yaml) {
    const result = readYaml(source);
    if (!result.ok) return; // refused by name, as osv-sources does
    doc = result.value;
  } else {
    try {
      doc = JSON.parse(source);
    } catch {
      return; // a syntax error: the file is skipped by name, the HTTP body refused by Fastify
    }
  }
  const records = Array.isArray(doc) ? doc : [doc];
  for (const record of records) readValidOsvRecord(record);
}

/** osv.dev's `all.zip`: the entries listed and each read (CRC-checked, inflated with a cap). */
function osvZip(input: Uint8Array): void {
  for (const entry of readZip(Buffer.from(input))) osvForMatching(entry.read(), false);
}

const target = (
  name: string,
  corpus: string | null,
  pattern: RegExp,
  syntax: Syntax,
  run: (input: Uint8Array) => void,
  options: { gzip?: boolean; inline?: () => Uint8Array[] } = {},
): FuzzTarget => ({
  name,
  corpus,
  syntax,
  gzip: options.gzip ?? false,
  seeds: () => (corpus === null ? (options.inline?.() ?? []) : corpusSeeds(corpus, pattern, syntax)),
  run,
});

export const TARGETS: readonly FuzzTarget[] = [
  target('sarif', 'sarif', /\.(sarif|golden)$/, 'json', intake, { gzip: true }),
  target('osv-json', 'osv', /\.json$/, 'json', intake, { gzip: true }),
  target('osv-yaml', 'osv/pypi', /\.yaml$/, 'yaml', intake),
  target('cve5', 'cve', /^(CVE|GO)-.*\.json$/, 'json', intake, { gzip: true }),
  target('csaf', 'csaf', /\.json$/, 'json', intake, { gzip: true }),
  target('native', null, /$^/, 'json', intake, { gzip: true, inline: () => [utf8(JSON.stringify(NATIVE_SEED))] }),
  target('osv-match-json', 'osv/go', /\.json$/, 'json', (input) => osvForMatching(input, false)),
  target('osv-match-yaml', 'osv/pypi', /\.yaml$/, 'yaml', (input) => osvForMatching(input, true)),
  target('cyclonedx-json', 'sbom/cyclonedx', /\.json$/, 'json', (input) => parseSbom(input)),
  target('cyclonedx-xml', 'sbom/cyclonedx', /\.xml$/, 'xml', (input) => parseSbom(input)),
  target('spdx-json', 'sbom', /(spdx|SPDX).*\.json$|\.spdx\.json$/, 'json', (input) => parseSbom(input)),
  target('spdx-tag-value', 'sbom', /\.spdx$/, 'tag-value', (input) => parseSbom(input)),
  target('spdx-yaml', 'sbom/spdx-spec', /\.ya?ml$/, 'yaml', (input) => parseSbom(input)),
  target('spdx3-jsonld', 'sbom', /spdx3.*\.json$|v3\.0-jsonld.*\.json$|simplehtr-example\.json$/, 'json', (input) => parseSbom(input)),
  target('kev', 'kev', /^known_exploited_vulnerabilities\.json$/, 'json', (input) => parseKevCatalog(input), { gzip: true }),
  target('epss', null, /$^/, 'csv', (input) => parseEpssFeed(input), { gzip: true, inline: () => EPSS_SEEDS.map(utf8) }),
  target('inspect', null, /$^/, 'inspect', (input) => readInspectLog(input), {
    inline: () => [inspectJsonLog(), inspectJsonLog({ scores: ['0.5', '"P"', 'Infinity', 'true'] })],
  }),
  target('osv-zip', null, /$^/, 'zip', osvZip, { inline: () => [utf8('{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z"}')] }),
];

export function targetNamed(name: string): FuzzTarget {
  const found = TARGETS.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no parser "${name}"; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  return found;
}

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, CodeOptions, ValidateFunction } from 'ajv';
import { canonicalJson } from '../../../platform/hash.js';
import { newAjv, schemaViolations, validatingSafely, type SchemaViolation } from '../../../platform/input/json-schema.js';
import { ajvCodegen, prebuiltOrCompiled, type ValidatorBuild } from '../../../platform/input/prebuilt-validators.js';

/**
 * CycloneDX JSON validation against the JSON schemas that ship in @cyclonedx/cyclonedx-library
 * (res/schema). This is the one place in domain/ that loads files: the schemas are JSON modules inside an
 * installed package, read through `require` (the package's `exports` map does not list them, so the
 * path is resolved from its package.json). Compiling a schema takes a while (half a second for 1.5), so
 * `npm run build` writes each version's validator as code; run from the sources, each version is compiled
 * on first use and kept.
 */

const require = createRequire(import.meta.url);
const SCHEMA_DIR = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const BASE = 'http://cyclonedx.org/schema/';

/** Spec versions with a JSON schema here (1.0 and 1.1 were XML-only). */
export const CYCLONEDX_JSON_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;

/** One schema violation: where (JSON pointer) and which rule. */
export type SchemaIssue = SchemaViolation;

/**
 * Ajv checks `uniqueItems` by comparing every pair of items: 15 s for a 20,000-component BOM, and
 * quadratic beyond. The schemas' `uniqueItems: true` (45 arrays: components, dependencies, …) becomes this
 * keyword, which checks the same thing — no two items deeply equal — in one pass over canonical JSON.
 */
const LINEAR_UNIQUE = 'uniqueItemsLinear';

function linearUniqueness(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(linearUniqueness);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => (k === 'uniqueItems' && v === true ? [LINEAR_UNIQUE, true] : [k, linearUniqueness(v)])),
  );
}

function loadSchema(file: string): Record<string, unknown> {
  // The bom schemas reference their siblings by file name ("spdx.SNAPSHOT.schema.json"), which the
  // siblings' own $id does not match: register each under the name it is referenced by.
  const schema = linearUniqueness(require(path.join(SCHEMA_DIR, file))) as Record<string, unknown>;
  return { ...schema, $id: `${BASE}${file}` };
}

/**
 * Whether some member holds a different scalar in every item (a CycloneDX `bom-ref`, a `purl`): items that
 * differ in one member cannot be deeply equal, so then no pair can be, and no item needs serializing.
 */
function distinctByAMember(items: readonly unknown[]): boolean {
  const first = items[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return false;
  next: for (const key of Object.keys(first)) {
    const seen = new Set<string>();
    for (const item of items) {
      if (typeof item !== 'object' || item === null) return false;
      const v = (item as Record<string, unknown>)[key];
      const scalar = typeof v === 'string' ? `s${v}` : typeof v === 'number' || typeof v === 'boolean' ? `${typeof v}${String(v)}` : null;
      if (scalar === null || seen.has(scalar)) continue next;
      seen.add(scalar);
    }
    return true;
  }
  return false;
}

/** The first two deeply equal items ([i, j], i < j), compared by canonical JSON in one pass; null when none. */
function firstDuplicate(items: readonly unknown[]): [number, number] | null {
  if (items.length < 2 || distinctByAMember(items)) return null;
  const seen = new Map<string, number>();
  for (const [j, item] of items.entries()) {
    const key = canonicalJson(item);
    const i = seen.get(key);
    if (i !== undefined) return [i, j];
    seen.set(key, j);
  }
  return null;
}

// RFC 3987 IRI-reference, loosely: no white space, controls or the characters IRIs exclude, and a
// well-formed scheme when the text starts with one.
const IRI_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?[^\s\p{Cc}<>"{}|\\^`]*$/u;
const IDN_EMAIL = /^[^\s@]+@[^\s@]+$/u;

function compileCycloneDx(version: string, code?: CodeOptions): { ajv: Ajv; validate: ValidateFunction } {
  const { _, str } = ajvCodegen();
  // strict: false — the schemas use annotation keywords ("meta:enum", "deprecated") Ajv does not know.
  // allErrors, so a format complaint cannot hide a structural one behind it.
  const ajv = newAjv('draft-07', {
    strict: false,
    validateFormats: true,
    withFormats: ['date', 'date-time', 'uri'],
    ...(code === undefined ? {} : { code }),
  });
  // ajv-formats-draft2019's iri-reference rejects valid IRIs that real BOMs carry ("urn:cdx:…/1",
  // "git+https://…"), so both draft-2019 formats the schemas use are checked here, loosely.
  ajv.addFormat('iri-reference', IRI_REFERENCE);
  ajv.addFormat('idn-email', IDN_EMAIL);
  // A keyword written as code, so that the validator's generated code calls firstDuplicate (runtime.firstDuplicate).
  ajv.addKeyword({
    keyword: LINEAR_UNIQUE,
    type: 'array',
    schemaType: 'boolean',
    error: {
      message: ({ params }) => str`must NOT have duplicate items (items ## ${params['i']} and ${params['j']} are identical)`,
      params: ({ params }) => _`{i: ${params['i']}, j: ${params['j']}}`,
    },
    code: (cxt) => {
      if (cxt.schema !== true) return;
      const find = cxt.gen.scopeValue('func', { ref: firstDuplicate, code: _`runtime.firstDuplicate` });
      const duplicate = cxt.gen.const('duplicate', _`${find}(${cxt.data})`);
      cxt.setParams({ i: _`${duplicate}[0]`, j: _`${duplicate}[1]` });
      cxt.fail(_`${duplicate} !== null`);
    },
  });
  for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json'])
    ajv.addSchema(loadSchema(f));
  return { ajv, validate: ajv.compile(loadSchema(`bom-${version}.SNAPSHOT.schema.json`)) };
}

/** The validator of each spec version, its code generated at build time (platform/input/prebuilt-validators.ts). */
export const CYCLONEDX_VALIDATOR_BUILDS: readonly ValidatorBuild[] = CYCLONEDX_JSON_VERSIONS.map((version) => ({
  name: `inventory-cyclonedx-${version}`,
  compile: (code) => compileCycloneDx(version, code),
  runtime: () => ({ firstDuplicate }),
}));

const compiled = new Map<string, ValidateFunction>();

function validatorFor(version: string): ValidateFunction | null {
  const build = CYCLONEDX_VALIDATOR_BUILDS.find((b) => b.name === `inventory-cyclonedx-${version}`);
  if (build === undefined) return null;
  const cached = compiled.get(version);
  if (cached) return cached;
  const validate = prebuiltOrCompiled(build);
  compiled.set(version, validate);
  return validate;
}

/** The linear keyword's errors under the name of the rule it checks. */
const asUniqueItems = (errors: ValidateFunction['errors']) =>
  errors?.map((e) => (e.keyword === LINEAR_UNIQUE ? { ...e, keyword: 'uniqueItems' } : e));

/**
 * Validates a parsed CycloneDX JSON document against the schema of its `specVersion`. Returns the
 * violations (empty when valid), or null when no JSON schema exists for that version.
 */
export function validateCycloneDxJson(bom: unknown, specVersion: string): readonly SchemaIssue[] | null {
  const validate = validatorFor(specVersion);
  if (validate === null) return null;
  return validatingSafely(
    bom,
    () => (validate(bom) ? [] : schemaViolations(asUniqueItems(validate.errors), { wording: 'schema', cap: Infinity })),
    (violations) => violations,
  );
}

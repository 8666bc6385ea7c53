import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { canonicalJson } from '../../../platform/hash.js';
import { newAjv, schemaViolations, validatingSafely, type SchemaViolation } from '../../../platform/input/json-schema.js';

/**
 * CycloneDX JSON validation against the JSON schemas that ship in @cyclonedx/cyclonedx-library
 * (res/schema). This is the one place in domain/ that loads files: the schemas are JSON modules inside an
 * installed package, read once through `require` (the package's `exports` map does not list them, so the
 * path is resolved from its package.json). Compiling a schema takes a while, so each version is compiled
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

interface KeywordValidator {
  (schema: boolean, data: unknown[]): boolean;
  errors?: Partial<ErrorObject>[];
}

const uniqueItems: KeywordValidator = (schema, data) => {
  if (!schema) return true;
  const seen = new Map<string, number>();
  for (const [j, item] of data.entries()) {
    const key = canonicalJson(item);
    const i = seen.get(key);
    if (i !== undefined) {
      uniqueItems.errors = [
        { keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`, params: { i, j } },
      ];
      return false;
    }
    seen.set(key, j);
  }
  return true;
};

// RFC 3987 IRI-reference, loosely: no white space, controls or the characters IRIs exclude, and a
// well-formed scheme when the text starts with one.
const IRI_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?[^\s\p{Cc}<>"{}|\\^`]*$/u;
const IDN_EMAIL = /^[^\s@]+@[^\s@]+$/u;

let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(version: string): ValidateFunction | null {
  if (!(CYCLONEDX_JSON_VERSIONS as readonly string[]).includes(version)) return null;
  const cached = compiled.get(version);
  if (cached) return cached;
  if (ajv === null) {
    // strict: false — the schemas use annotation keywords ("meta:enum", "deprecated") Ajv does not know.
    // allErrors, so a format complaint cannot hide a structural one behind it.
    ajv = newAjv('draft-07', { strict: false, validateFormats: true, withFormats: ['date', 'date-time', 'uri'] });
    // ajv-formats-draft2019's iri-reference rejects valid IRIs that real BOMs carry ("urn:cdx:…/1",
    // "git+https://…"), so both draft-2019 formats the schemas use are checked here, loosely.
    ajv.addFormat('iri-reference', IRI_REFERENCE);
    ajv.addFormat('idn-email', IDN_EMAIL);
    ajv.addKeyword({ keyword: LINEAR_UNIQUE, type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
    for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json'])
      ajv.addSchema(loadSchema(f));
  }
  const validate = ajv.compile(loadSchema(`bom-${version}.SNAPSHOT.schema.json`));
  compiled.set(version, validate);
  return validate;
}

/**
 * Validates a parsed CycloneDX JSON document against the schema of its `specVersion`. Returns the
 * violations (empty when valid), or null when no JSON schema exists for that version.
 */
export function validateCycloneDxJson(bom: unknown, specVersion: string): readonly SchemaIssue[] | null {
  const validate = validatorFor(specVersion);
  if (validate === null) return null;
  return validatingSafely(
    bom,
    () => (validate(bom) ? [] : schemaViolations(validate.errors, { wording: 'schema', cap: Infinity })),
    (violations) => violations,
  );
}

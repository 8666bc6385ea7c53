import type { Ajv, AnySchemaObject, ValidateFunction } from 'ajv';
import type * as CsafSchemaTests from '@secvisogram/csaf-validator-lib/schemaTests.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { lazyValidator, newAjv, schemaBuild, schemaIssues, validatingSafely } from '../../../platform/input/json-schema.js';
import { prebuiltOrCompiled, type ValidatorBuild } from '../../../platform/input/prebuilt-validators.js';
import { lazyPackage } from '../../../platform/lazy-package.js';
import cveSchema from '../schemas/cve-json-5.1-bundled.json' with { type: 'json' };
import osvSchema from '../schemas/osv-schema.json' with { type: 'json' };
import sarifSchema from '../schemas/sarif-schema-2.1.0.json' with { type: 'json' };
import { NATIVE_FINDINGS_SCHEMA } from './native-schema.js';

/**
 * One validator per format, compiled on first use (compiling the CVE and SARIF schemas takes a moment that
 * a process reading only OSV should not pay). Each returns the broken rules as JSON-pointer issues in the
 * wording of published schemas (platform/input/json-schema.ts), an empty list when the document is valid.
 */
const PUBLISHED = { wording: 'schema' } as const;

const SARIF_BUILD = schemaBuild('intake-sarif', 'draft-04', sarifSchema as AnySchemaObject, { strict: false });
const OSV_BUILD = schemaBuild('intake-osv', '2020-12', osvSchema as AnySchemaObject, { strict: false });

/** SARIF 2.1.0 (draft-04 schema, OASIS). */
export const validateSarif = lazyValidator(() => prebuiltOrCompiled(SARIF_BUILD), PUBLISHED);

/** OSV (draft 2020-12 schema, OpenSSF). */
export const validateOsv = lazyValidator(() => prebuiltOrCompiled(OSV_BUILD), PUBLISHED);

const CVE_SCHEMA_ID = 'cve-json-5.1-bundled';

/**
 * The CVE 5.1 schema as real records need it. Two departures, each from the records themselves:
 * - its `timestamp` says "if timezone offset is not given, GMT is assumed" but also says `format: date-time`,
 *   which requires an offset; records from the 5.0 era (`2021-02-08T22:22:51`) follow the description, so
 *   `date-time` here accepts a missing offset (the schema's own `pattern` still checks the shape);
 * - schema 5.1.1 added `cpeApplicability` to the CNA and ADP containers, and records declaring `dataVersion`
 *   5.1 already carry it; it is allowed as an array.
 */
function cveAjv(): Ajv {
  const ajv = newAjv('draft-07', { strict: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i);
  const schema = structuredClone(cveSchema) as AnySchemaObject;
  for (const container of ['cnaPublishedContainer', 'adpContainer']) {
    schema['definitions'][container]['properties']['cpeApplicability'] = { type: 'array' };
  }
  delete schema['$id'];
  ajv.addSchema(schema, CVE_SCHEMA_ID);
  return ajv;
}

let sharedCveAjv: Ajv | undefined;
function cveValidator(ref: string): () => ValidateFunction {
  return () => {
    sharedCveAjv ??= cveAjv();
    return sharedCveAjv.compile({ $ref: `${CVE_SCHEMA_ID}${ref}` });
  };
}

// The record schema is `oneOf: [Published, Rejected]`; validating against the branch the record's state
// names keeps the other branch's complaints out of the answer.

/** A whole CVE JSON 5.x record in state PUBLISHED. */
export const validateCvePublished = lazyValidator(cveValidator('#/oneOf/0'), PUBLISHED);

/** A whole CVE JSON 5.x record in state REJECTED. */
export const validateCveRejected = lazyValidator(cveValidator('#/oneOf/1'), PUBLISHED);

/** A CNA container alone, as CNAs submit it before publication (the Go CNA's files). */
export const validateCveCnaContainer = lazyValidator(cveValidator('#/definitions/cnaPublishedContainer'), PUBLISHED);

const csafSchemaTests = lazyPackage<typeof CsafSchemaTests>('@secvisogram/csaf-validator-lib/schemaTests.js');

/** CSAF 2.0, with the schema `@secvisogram/csaf-validator-lib` bundles (DESIGN §7). */
export function validateCsaf(doc: unknown): FieldIssue[] {
  return validatingSafely(
    doc,
    () => {
      const result = csafSchemaTests().csaf_2_0(doc);
      return result.isValid ? [] : schemaIssues(result.errors, PUBLISHED);
    },
    (violations) => violations.map(({ pointer, detail }) => ({ pointer, detail })),
  );
}

// Strict, since we wrote it; `anyOf: [{ required: ['tool'] }, { required: ['model'] }]` is the idiom for
// "at least one of", which strictRequired would refuse because the branches do not redeclare the properties.
// Worded as a published schema all the same: its `oneOf` target branches refuse what another allows.
const NATIVE_BUILD = schemaBuild('intake-native', '2020-12', NATIVE_FINDINGS_SCHEMA, { strict: true, strictRequired: false });
/** The native format ({@link NATIVE_FINDINGS_SCHEMA}). */
export const validateNative = lazyValidator(() => prebuiltOrCompiled(NATIVE_BUILD), PUBLISHED);

/** The validators whose code `npm run build` generates (the CVE schema's are compiled on first use). */
export const INTAKE_VALIDATOR_BUILDS: readonly ValidatorBuild[] = [SARIF_BUILD, OSV_BUILD, NATIVE_BUILD];

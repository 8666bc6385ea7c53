import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { csaf_2_0 } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import type { FieldIssue } from '../../../platform/errors.js';
import cveSchema from '../schemas/cve-json-5.1-bundled.json' with { type: 'json' };
import osvSchema from '../schemas/osv-schema.json' with { type: 'json' };
import sarifSchema from '../schemas/sarif-schema-2.1.0.json' with { type: 'json' };
import { NATIVE_FINDINGS_SCHEMA } from './native-schema.js';

/**
 * One validator per format, compiled on first use (compiling the CVE and SARIF schemas takes a moment that
 * a process reading only OSV should not pay). Each returns the broken rules as JSON-pointer issues, at most
 * {@link MAX_SCHEMA_ISSUES}, an empty list when the document is valid.
 */

export const MAX_SCHEMA_ISSUES = 20;

// These packages are CommonJS whose default export is `module.exports`; under NodeNext the typed default is
// one level further down. Both levels are the same function at run time.
const AjvDraft04 = ajvDraft04.default.default;
const addFormats = ajvFormats.default.default;

function toIssue(
  error: ErrorObject | { instancePath: string; message: string; keyword?: string; params?: Record<string, unknown> },
): FieldIssue {
  const params = (error.params ?? {}) as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (typeof params['additionalProperty'] === 'string') detail += ` ('${params['additionalProperty']}')`;
  if (Array.isArray(params['allowedValues'])) detail += `: ${params['allowedValues'].map(String).join(', ')}`;
  if (error.keyword) detail += ` [${error.keyword}]`;
  return { pointer: error.instancePath, detail };
}

const depth = (issue: FieldIssue) => issue.pointer.split('/').length;

/**
 * Deepest pointers first: when a `oneOf` or `if/then` fails, Ajv reports every branch at the parent, and the
 * rule that actually broke ("must match pattern" on the field itself) is the deepest one.
 */
function toIssues(errors: readonly Parameters<typeof toIssue>[0][] | null | undefined): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const error of errors ?? []) {
    const issue = toIssue(error);
    const key = `${issue.pointer}\u0000${issue.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  // Every pointer once before any pointer twice, so that the cap cuts repetition rather than whole fields.
  const sorted = out.sort((a, b) => depth(b) - depth(a));
  const firsts = new Set<FieldIssue>();
  const pointers = new Set<string>();
  for (const issue of sorted) {
    if (pointers.has(issue.pointer)) continue;
    pointers.add(issue.pointer);
    firsts.add(issue);
  }
  return [...firsts, ...sorted.filter((i) => !firsts.has(i))].slice(0, MAX_SCHEMA_ISSUES);
}

function lazy(compile: () => ValidateFunction): (doc: unknown) => FieldIssue[] {
  let validate: ValidateFunction | undefined;
  return (doc) => {
    validate ??= compile();
    return validate(doc) ? [] : toIssues(validate.errors);
  };
}

/** SARIF 2.1.0 (draft-04 schema, OASIS). */
export const validateSarif = lazy(() => {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(sarifSchema as AnySchemaObject);
});

/** OSV (draft 2020-12 schema, OpenSSF). */
export const validateOsv = lazy(() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(osvSchema as AnySchemaObject);
});

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
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
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
export const validateCvePublished = lazy(cveValidator('#/oneOf/0'));

/** A whole CVE JSON 5.x record in state REJECTED. */
export const validateCveRejected = lazy(cveValidator('#/oneOf/1'));

/** A CNA container alone, as CNAs submit it before publication (the Go CNA's files). */
export const validateCveCnaContainer = lazy(cveValidator('#/definitions/cnaPublishedContainer'));

/** CSAF 2.0, with the schema `@secvisogram/csaf-validator-lib` bundles (DESIGN §7). */
export function validateCsaf(doc: unknown): FieldIssue[] {
  const result = csaf_2_0(doc);
  return result.isValid ? [] : toIssues(result.errors);
}

/** The native format ({@link NATIVE_FINDINGS_SCHEMA}). */
export const validateNative = lazy(() => {
  // Strict, since we wrote it; `anyOf: [{ required: ['tool'] }, { required: ['model'] }]` is the idiom for
  // "at least one of", which strictRequired would refuse because the branches do not redeclare the properties.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  return ajv.compile(NATIVE_FINDINGS_SCHEMA);
});

import type { Ajv, AnySchemaObject, ErrorObject, Options, ValidateFunction } from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type * as AjvModule from 'ajv';
import type * as AjvDraft04Module from 'ajv-draft-04';
import type * as AjvFormatsModule from 'ajv-formats';
import type { FieldIssue } from '../errors.js';
import { lazyPackage } from '../lazy-package.js';
import { MAX_INPUT_ISSUES } from './issues.js';
import type { ValidatorBuild } from './prebuilt-validators.js';

// Ajv is loaded on first compile: a process that only maps errors, or runs validators generated at build time
// (prebuilt-validators.ts), never pays for it. ajv-draft-04 and ajv-formats are CommonJS whose default export is
// `module.exports`; under NodeNext the typed default is one level further down, the same function at run time.
const ajvPackage = lazyPackage<typeof AjvModule>('ajv');
const ajv2020Package = lazyPackage<typeof Ajv2020Module>('ajv/dist/2020');
const ajvDraft04Package = lazyPackage<typeof AjvDraft04Module.default>('ajv-draft-04');
const ajvFormatsPackage = lazyPackage<typeof AjvFormatsModule.default>('ajv-formats');
const addFormats = (ajv: Ajv, formats?: Parameters<typeof AjvFormatsModule.default.default>[1]) =>
  ajvFormatsPackage().default(ajv, formats);

/** The JSON Schema drafts the formats we read are written in (DESIGN §7). */
export type JsonSchemaDialect = 'draft-04' | 'draft-07' | '2020-12';

export type FormatName = Parameters<typeof addFormats>[1] extends infer F ? (F extends readonly (infer N)[] ? N : never) : never;

/**
 * The one Ajv set-up: every validator of the product is made here, with every error reported (`allErrors`)
 * and the formats of ajv-formats (all of them, or those `withFormats` names). `options` are Ajv's own (strict
 * mode for schemas we wrote; `strict: false` for published schemas with annotation keywords).
 */
export function newAjv(dialect: JsonSchemaDialect, options: Options & { withFormats?: readonly FormatName[] } = {}): Ajv {
  const { withFormats, ...rest } = options;
  const settings: Options = { allErrors: true, ...rest };
  const ajv =
    dialect === '2020-12'
      ? new (ajv2020Package().Ajv2020)(settings)
      : dialect === 'draft-04'
        ? new (ajvDraft04Package().default)(settings)
        : new (ajvPackage().Ajv)(settings);
  if (withFormats === undefined) addFormats(ajv);
  else addFormats(ajv, [...withFormats]);
  return ajv;
}

/** One broken rule as Ajv reports it, or as a library built on Ajv does (CSAF's validator). */
export interface SchemaError {
  readonly instancePath: string;
  readonly message?: string | undefined;
  readonly keyword?: string;
  readonly params?: Record<string, unknown> | ErrorObject['params'];
}

/** A field issue with the JSON Schema keyword that failed ("format", "required", "enum", …). */
export interface SchemaViolation extends FieldIssue {
  readonly keyword: string;
}

/**
 * How issues are worded:
 * - `field` (schemas we wrote): the pointer names the offending field itself — a missing one "is required",
 *   an unknown one "is not allowed here";
 * - `schema` (published schemas, whose `oneOf` branches make a child pointer misleading — a property one
 *   branch refuses another allows): the pointer Ajv reports, the detail naming the property and the keyword.
 */
export type IssueWording = 'field' | 'schema';

/** The one mapping of a schema error to a field issue. */
export function schemaViolation(error: SchemaError, wording: IssueWording = 'field', at = ''): SchemaViolation {
  const params = (error.params ?? {}) as Record<string, unknown>;
  const keyword = error.keyword ?? '';
  const allowed = Array.isArray(params['allowedValues']) ? `: ${params['allowedValues'].map(String).join(', ')}` : '';
  if (wording === 'field') {
    if (keyword === 'required' && typeof params['missingProperty'] === 'string')
      return { pointer: `${at}${error.instancePath}/${params['missingProperty']}`, detail: 'is required', keyword };
    if (keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string')
      return { pointer: `${at}${error.instancePath}/${params['additionalProperty']}`, detail: 'is not allowed here', keyword };
    return { pointer: `${at}${error.instancePath}`, detail: `${error.message ?? 'is invalid'}${allowed}`, keyword };
  }
  const property = typeof params['additionalProperty'] === 'string' ? ` ('${params['additionalProperty']}')` : '';
  return {
    pointer: `${at}${error.instancePath}`,
    detail: `${error.message ?? 'is invalid'}${property}${allowed}${keyword === '' ? '' : ` [${keyword}]`}`,
    keyword,
  };
}

const depth = (issue: FieldIssue) => issue.pointer.split('/').length;

/**
 * Every distinct violation, deepest pointers first, at most `cap`. When a `oneOf` or `if/then` fails, Ajv
 * reports every branch at the parent, and the rule that actually broke ("must match pattern" on the field
 * itself) is the deepest one; every pointer comes once before any comes twice, so that the cap cuts
 * repetition rather than whole fields.
 */
export function schemaViolations(
  errors: readonly SchemaError[] | null | undefined,
  options: { wording?: IssueWording; at?: string; cap?: number } = {},
): SchemaViolation[] {
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of errors ?? []) {
    const issue = schemaViolation(error, options.wording, options.at);
    const key = `${issue.pointer}\u0000${issue.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  const sorted = out.sort((a, b) => depth(b) - depth(a));
  const firsts = new Set<SchemaViolation>();
  const pointers = new Set<string>();
  for (const issue of sorted) {
    if (pointers.has(issue.pointer)) continue;
    pointers.add(issue.pointer);
    firsts.add(issue);
  }
  return [...firsts, ...sorted.filter((i) => !firsts.has(i))].slice(0, options.cap ?? MAX_INPUT_ISSUES);
}

/** {@link schemaViolations} as plain field issues, as an InputError carries them. */
export function schemaIssues(
  errors: readonly SchemaError[] | null | undefined,
  options?: Parameters<typeof schemaViolations>[1],
): FieldIssue[] {
  return schemaViolations(errors, options).map(({ pointer, detail }) => ({ pointer, detail }));
}

/**
 * Keys that Ajv's deep comparison (fast-deep-equal, behind `uniqueItems`, `const` and `enum`) calls as
 * methods when an object's own value replaces Object.prototype's: `{"valueOf": 1}` in an array the schema
 * wants unique makes it throw a TypeError instead of answering.
 */
const SHADOWED_METHODS = ['valueOf', 'toString'] as const;

/** Where the value holds an own `valueOf` or `toString` key, as schema violations (at most `cap`). */
export function shadowedMethodViolations(value: unknown, at = '', cap = MAX_INPUT_ISSUES): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const stack: [unknown, string][] = [[value, at]];
  while (stack.length > 0 && out.length < cap) {
    const [node, pointer] = stack.pop() as [unknown, string];
    if (typeof node !== 'object' || node === null) continue;
    for (const key of SHADOWED_METHODS) {
      if (Object.hasOwn(node, key))
        out.push({
          pointer: `${pointer}/${key}`,
          detail: `a key named "${key}" is not read (it shadows a built-in method)`,
          keyword: 'key',
        });
    }
    for (const [key, child] of Object.entries(node)) stack.push([child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
  }
  return out;
}

/**
 * Runs a schema validation; when the validator throws a TypeError over a shadowed method (see
 * {@link shadowedMethodViolations}), answers those keys as violations instead. Any other error propagates.
 */
export function validatingSafely<T>(doc: unknown, validate: () => T, refused: (violations: SchemaViolation[]) => T, at = ''): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const violations = shadowedMethodViolations(doc, at);
    if (violations.length === 0) throw error;
    return refused(violations);
  }
}

const asIssues = (violations: readonly SchemaViolation[]): FieldIssue[] => violations.map(({ pointer, detail }) => ({ pointer, detail }));

/**
 * A validator compiled on first use (compiling a large schema takes a moment that a process not reading
 * that format should not pay), answering the broken rules as field issues: [] when the document is valid.
 */
export function lazyValidator(
  compile: () => ValidateFunction,
  options?: Parameters<typeof schemaViolations>[1],
): (doc: unknown) => FieldIssue[] {
  let validate: ValidateFunction | undefined;
  return (doc) => {
    validate ??= compile();
    const run = validate;
    return validatingSafely(doc, () => (run(doc) ? [] : schemaIssues(run.errors, options)), asIssues, options?.at);
  };
}

type SchemaOptions = Options & { withFormats?: readonly FormatName[]; annotations?: readonly string[] };

/** One schema set up by {@link newAjv} and compiled, as a {@link ValidatorBuild} named `name`. */
export function schemaBuild(
  name: string,
  dialect: JsonSchemaDialect,
  schema: AnySchemaObject,
  options: SchemaOptions = {},
): ValidatorBuild {
  const { annotations = [], ...ajvOptions } = options;
  return {
    name,
    compile: (code) => {
      const ajv = newAjv(dialect, code === undefined ? ajvOptions : { ...ajvOptions, code });
      for (const keyword of annotations) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array', 'number', 'boolean'] });
      return { ajv, validate: ajv.compile(schema) };
    },
  };
}

/**
 * A validator of one schema, set up by {@link newAjv} and compiled on first use.
 *
 * @param options.annotations keywords the schema uses that carry no rule (KEV's `url`); strict mode rejects
 *   unknown keywords otherwise, which keeps typos in our own schemas from passing silently.
 */
export function schemaValidator(
  dialect: JsonSchemaDialect,
  schema: AnySchemaObject,
  options: SchemaOptions & { wording?: IssueWording; at?: string } = {},
): (doc: unknown) => FieldIssue[] {
  const { wording, at, ...schemaOptions } = options;
  const build = schemaBuild('', dialect, schema, schemaOptions);
  return lazyValidator(() => build.compile().validate, {
    ...(wording === undefined ? {} : { wording }),
    ...(at === undefined ? {} : { at }),
  });
}

/** Ajv options for schemas we wrote ourselves: strict, so that a typo in a keyword fails at compile time. */
export const OWN_SCHEMA = Object.freeze({ strict: true, allowUnionTypes: true }) satisfies Options;

import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FieldIssue } from '../../../platform/errors.js';

// ajv-formats is CommonJS whose default export is `module.exports`; under NodeNext the typed default is one
// level further down. Both levels are the same function at run time.
const addFormats = ajvFormats.default.default;

/** One Ajv error as a field issue that points at the offending field itself, not at its parent. */
function issueOf(error: ErrorObject): FieldIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return { pointer: `${error.instancePath}/${params['missingProperty']}`, detail: 'is required' };
  }
  if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    return { pointer: `${error.instancePath}/${params['additionalProperty']}`, detail: 'is not allowed here' };
  }
  const allowed = Array.isArray(params['allowedValues']) ? `: ${params['allowedValues'].map(String).join(', ')}` : '';
  return { pointer: error.instancePath, detail: `${error.message ?? 'is invalid'}${allowed}` };
}

/**
 * A JSON Schema draft-07 validator (Ajv with ajv-formats, strict mode), compiled on first use, that returns
 * the broken rules as field issues, an empty list when the document is valid.
 *
 * @param annotations keywords the schema uses that carry no rule (KEV's `url`); strict mode rejects unknown
 *   keywords otherwise, which keeps typos in our own schemas from passing silently.
 */
export function jsonSchemaValidator(schema: AnySchemaObject, annotations: readonly string[] = []): (doc: unknown) => FieldIssue[] {
  let validate: ValidateFunction | undefined;
  return (doc) => {
    if (validate === undefined) {
      const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
      addFormats(ajv);
      for (const keyword of annotations) ajv.addKeyword({ keyword, schemaType: ['string', 'object', 'array', 'number', 'boolean'] });
      validate = ajv.compile(schema);
    }
    return validate(doc) ? [] : (validate.errors ?? []).map(issueOf);
  };
}

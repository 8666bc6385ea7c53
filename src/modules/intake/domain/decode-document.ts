import { InputError } from '../../../platform/errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../../platform/input/json-depth.js';
import { readYaml } from '../../../platform/input/yaml.js';

/**
 * Bytes or text → a parsed JSON value. Size limits belong to the caller (the service knows the per-format
 * limits and the compressed size); this bounds what a small document can still do: nesting depth and YAML
 * alias expansion.
 */

/** Deeper documents are refused before any schema walks them; real SARIF and CSAF stay under 40 levels. */
export const MAX_DOCUMENT_DEPTH = MAX_JSON_DEPTH;

export type DocumentSyntax = 'json' | 'yaml';

export interface DecodedDocument {
  readonly value: unknown;
  readonly syntax: DocumentSyntax;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function toText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    // TextDecoder drops a leading UTF-8 BOM by default, which SARIF files written on Windows often carry.
    return UTF8.decode(input);
  } catch (cause) {
    throw new InputError('The document is not valid UTF-8', [{ pointer: '', detail: 'must be UTF-8 text' }], {
      cause,
      code: 'invalid-encoding',
    });
  }
}

/**
 * Refuses values nested deeper than {@link MAX_DOCUMENT_DEPTH} (or, from YAML, referring to themselves),
 * before a recursive schema walk could exhaust the stack.
 *
 * @throws InputError `too-deep`
 */
export function assertDepth(value: unknown): void {
  if (jsonDepth(value) > MAX_DOCUMENT_DEPTH) {
    throw new InputError(
      `The document nests deeper than ${MAX_DOCUMENT_DEPTH} levels`,
      [{ pointer: '', detail: `must not nest deeper than ${MAX_DOCUMENT_DEPTH} levels` }],
      { code: 'too-deep' },
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : 'is not valid JSON';
    throw new InputError(`The document is not valid JSON: ${detail}`, [{ pointer: '', detail }], { cause, code: 'malformed-document' });
  }
}

function yamlError(detail: string): InputError {
  return new InputError(`The document is not valid YAML: ${detail}`, [{ pointer: '', detail }], { code: 'malformed-document' });
}

function parseYamlText(text: string): unknown {
  // Numbers stay strings: no OSV field is numeric, and `1.10` read as a float would become version `1.1`.
  // OSV needs no tags; an unknown one (`!foo`) is refused rather than silently read as a string.
  const result = readYaml(text, { numbersAsText: true });
  if (!result.ok) throw yamlError(result.problem);
  return result.value;
}

/**
 * Decodes a submitted document. JSON is recognized by its first character (`{` or `[`); anything else is
 * read as YAML when `allowYaml` is set. A UTF-8 byte-order mark is accepted.
 *
 * @throws InputError `empty-document` for empty input, `invalid-encoding` for bytes that are not UTF-8,
 *   `malformed-document` for JSON/YAML syntax errors, `too-deep` past {@link MAX_DOCUMENT_DEPTH}.
 */
export function decodeDocument(input: string | Uint8Array, options: { allowYaml: boolean }): DecodedDocument {
  const text = toText(input).replace(/^\uFEFF/, '');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) {
    throw new InputError('The document is empty', [{ pointer: '', detail: 'must not be empty' }], { code: 'empty-document' });
  }
  const json = first === '{' || first === '[';
  if (!json && !options.allowYaml) {
    throw new InputError('The document is not JSON', [{ pointer: '', detail: 'must be a JSON object' }], { code: 'malformed-document' });
  }
  const value = json ? parseJson(text) : parseYamlText(text);
  assertDepth(value);
  return { value, syntax: json ? 'json' : 'yaml' };
}

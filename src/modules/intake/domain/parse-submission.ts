import { InputError, UnsupportedMediaTypeError, type FieldIssue } from '../../../platform/errors.js';
import { readCsaf } from './csaf-parser.js';
import { readCve5 } from './cve5-parser.js';
import { assertDepth, decodeDocument, type DocumentSyntax } from './decode-document.js';
import type { ParsedDocument, SourceFormat } from './finding.js';
import { detectFormat } from './format-detection.js';
import type { FormatReader, ParseOptions } from './format-reader.js';
import { isRecord } from './json-access.js';
import { readNative } from './native-parser.js';
import { readOsv } from './osv-parser.js';
import { readSarif } from './sarif-parser.js';

/**
 * The entry point of intake's pure half: one submitted document in, its normalized findings out. Nothing
 * here stores, fetches or logs; the service stores the raw bytes first and calls this afterwards.
 */

/** More warnings than this are summarized in one last entry: a log with 10,000 absolute paths needs one word, not 10,000. */
export const MAX_WARNINGS = 100;

function capped(warnings: readonly FieldIssue[]): FieldIssue[] {
  if (warnings.length <= MAX_WARNINGS) return [...warnings];
  return [...warnings.slice(0, MAX_WARNINGS), { pointer: '', detail: `${warnings.length - MAX_WARNINGS} more warnings not listed` }];
}

const READERS: Readonly<Record<SourceFormat, FormatReader>> = {
  sarif: readSarif,
  osv: readOsv,
  cve5: readCve5,
  csaf: readCsaf,
  native: readNative,
};

function read(value: unknown, syntax: DocumentSyntax, options: ParseOptions): ParsedDocument {
  const forced = options.format === undefined || options.format === 'auto' ? null : options.format;
  const detection = detectFormat(value);
  let format: SourceFormat;
  if (forced !== null) {
    if (detection.format !== null && detection.format !== forced) {
      throw new UnsupportedMediaTypeError(`The document was declared ${forced} but is ${detection.format}`);
    }
    format = forced;
  } else if (detection.format === null) {
    throw new UnsupportedMediaTypeError(`Unrecognized document: ${detection.reason}`);
  } else {
    format = detection.format;
  }
  if (syntax === 'yaml' && format !== 'osv') {
    throw new UnsupportedMediaTypeError(`YAML is read for OSV records only; send ${format} as JSON`);
  }
  if (!isRecord(value)) {
    throw new InputError('The document must be a JSON object', [{ pointer: '', detail: 'must be an object' }], {
      code: 'schema-violation',
    });
  }
  const warnings: FieldIssue[] = [];
  const result = READERS[format](value, options, warnings);
  const fallback = options.defaultTarget;
  const findings =
    fallback === undefined ? result.findings : result.findings.map((f) => (f.targets.length > 0 ? f : { ...f, targets: [fallback] }));
  return {
    format,
    formatVersion: result.formatVersion,
    documentId: result.documentId,
    findings,
    warnings: capped(warnings),
    suggestedTlp: result.suggestedTlp,
    vex: result.vex ?? false,
  };
}

/**
 * Reads one submitted document: decodes it (UTF-8, BOM accepted; JSON, or YAML for OSV), detects or checks
 * its format, validates it against that format's schema and normalizes every finding in it.
 *
 * Defaults: `format: 'auto'`, `includeRejected: false`, no `defaultTarget`. A document with no findings (a
 * SARIF log with no results, an informational CSAF advisory) is a valid, empty answer.
 *
 * @throws InputError for empty, undecodable, malformed, too deeply nested or schema-violating documents, a
 *   CVE record that is not PUBLISHED (`cve-not-published`), and native findings whose values are wrong; its
 *   `issues` name each field by JSON pointer.
 * @throws UnsupportedMediaTypeError for documents of no supported format (the message names what the document
 *   looks like), a declared format the document contradicts, YAML that is not OSV, and unsupported versions
 *   (SARIF other than 2.1.0, CSAF other than 2.0, CVE JSON other than 5.x).
 */
export function parseSubmission(input: string | Uint8Array, options: ParseOptions = {}): ParsedDocument {
  const forced = options.format === undefined || options.format === 'auto' ? null : options.format;
  const { value, syntax } = decodeDocument(input, { allowYaml: forced === null || forced === 'osv' });
  return read(value, syntax, options);
}

/**
 * As {@link parseSubmission}, for a document already parsed from JSON (an HTTP body Fastify has read).
 *
 * @throws the same errors as {@link parseSubmission}, less the decoding ones.
 */
export function parseSubmittedValue(value: unknown, options: ParseOptions = {}): ParsedDocument {
  assertDepth(value);
  return read(value, 'json', options);
}

import { PayloadTooLargeError } from '../../../platform/errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../../platform/input/json-depth.js';
import { readYaml } from '../../../platform/input/yaml.js';
import { validateCycloneDxJson } from './cyclonedx-schema.js';
import { malformedSbom, unsupportedSbom } from './sbom-errors.js';
import { readCycloneDx } from './sbom-cyclonedx.js';
import { parseXml, readCycloneDxXml } from './sbom-cyclonedx-xml.js';
import type { ParsedSbom } from './sbom-model.js';
import { readSpdx2 } from './sbom-spdx2.js';
import { spdxTagValueToJson } from './sbom-spdx2-tag-value.js';
import { withDistroReleases } from './sbom-distro-release.js';
import { readSpdx3 } from './sbom-spdx3.js';

/**
 * The single entry point for SBOM files: detects the format from the content (never from a file name),
 * then reads it into a {@link ParsedSbom}. Read: CycloneDX JSON and XML (1.2–1.6 JSON, 1.0–1.6 XML; 1.4–1.6
 * are the supported line, older ones read by the same rules with a warning), SPDX 2.2/2.3 JSON, YAML and
 * tag-value, SPDX 3.0 JSON-LD. Everything else is refused with an error that names what the file looks
 * like and why it is not read.
 */

export interface ParseSbomOptions {
  /** Validate CycloneDX JSON against its JSON schema. Default true. */
  readonly validateSchema?: boolean;
  /** Largest input accepted, in bytes. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Told how long the schema check took (`clearinghouse match --timings`). */
  readonly onSchemaChecked?: (ms: number) => void;
}

export const DEFAULT_MAX_SBOM_BYTES = 64 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function decode(input: string | Uint8Array, maxBytes: number): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) throw new PayloadTooLargeError(`SBOM of ${size} bytes is larger than the ${maxBytes}-byte limit`, maxBytes);
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw unsupportedSbom('binary or non-UTF-8 file', 'SBOMs are read as UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Names JSON documents that are not SBOMs, so the refusal says what the file was. */
function describeOtherJson(doc: unknown): string {
  if (!isObject(doc)) return 'JSON that is not an object';
  if (isObject(doc['document']) && 'csaf_version' in doc['document']) return 'CSAF document';
  if (typeof doc['@context'] === 'string' && doc['@context'].includes('openvex')) return 'OpenVEX document';
  if (Array.isArray(doc['runs'])) return 'SARIF log';
  if (typeof doc['id'] === 'string' && ('affected' in doc || 'schema_version' in doc)) return 'OSV advisory';
  if (doc['dataType'] === 'CVE_RECORD') return 'CVE record';
  return 'JSON document of an unknown kind';
}

function withSchema(bom: Json, parsed: ParsedSbom, options: ParseSbomOptions): ParsedSbom {
  const kind = `CycloneDX ${parsed.specVersion} JSON`;
  const warnings = [...parsed.warnings];
  if (!['1.4', '1.5', '1.6'].includes(parsed.specVersion))
    warnings.push(`specVersion ${parsed.specVersion} is outside the supported 1.4–1.6; read by the same rules`);
  if (options.validateSchema ?? true) {
    const start = performance.now();
    const issues = validateCycloneDxJson(bom, parsed.specVersion);
    options.onSchemaChecked?.(performance.now() - start);
    if (issues === null) warnings.push(`no JSON schema for CycloneDX ${parsed.specVersion}; not validated`);
    else {
      // A malformed string (a URL with "${…}" left in it) is worth a warning, not a refusal; any
      // structural violation refuses the document. A bad format also fails the anyOf around it (CycloneDX
      // 1.5+ allows a URL or a BOM-link there), so the other errors at the same spot go with it.
      const formatPointers = new Set(issues.filter((i) => i.keyword === 'format').map((i) => i.pointer));
      const structural = issues.filter((i) => !formatPointers.has(i.pointer));
      if (structural.length > 0) {
        const shown = structural
          .slice(0, 5)
          .map((i) => `${i.pointer} ${i.detail}`)
          .join('; ');
        throw malformedSbom(
          kind,
          `does not validate against the CycloneDX ${parsed.specVersion} schema: ${shown}`,
          structural[0]?.pointer ?? '',
        );
      }
      for (const i of issues.filter((x) => x.keyword === 'format').slice(0, 20)) warnings.push(`schema: ${i.pointer} ${i.detail}`);
    }
  }
  return { ...parsed, warnings };
}

function parseJsonDocument(text: string, options: ParseSbomOptions): ParsedSbom {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw malformedSbom('JSON file', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Components nest, and both the schema and the reader walk them recursively.
  if (jsonDepth(doc) > MAX_JSON_DEPTH) throw malformedSbom('JSON file', `nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (isObject(doc) && doc['bomFormat'] === 'CycloneDX') {
    // Read first: a VEX-only or empty document is refused for that reason before any schema detail.
    return withSchema(doc, readCycloneDx(doc, 'json'), options);
  }
  if (isObject(doc) && typeof doc['spdxVersion'] === 'string' && doc['spdxVersion'].startsWith('SPDX-2')) return readSpdx2(doc, 'json');
  const context = isObject(doc) ? JSON.stringify(doc['@context'] ?? '') : '';
  if (isObject(doc) && context.includes('spdx.org/rdf/3')) return readSpdx3(doc);
  throw unsupportedSbom(describeOtherJson(doc), 'not an SBOM: expected CycloneDX ("bomFormat"), SPDX 2 ("spdxVersion") or SPDX 3 JSON-LD');
}

function parseXmlDocument(text: string): ParsedSbom {
  const doc = parseXml(text, 'XML file');
  const rootKey = Object.keys(doc).find((k) => k !== '?xml' && !k.startsWith('#'));
  const rootValue = rootKey ? doc[rootKey] : undefined;
  const root = rootKey?.replace(/^[^:]*:/, '');
  const namespaces = isObject(rootValue) ? JSON.stringify(Object.entries(rootValue).filter(([k]) => k.startsWith('xmlns'))) : '';
  if (root === 'bom' && namespaces.includes('cyclonedx.org/schema/bom')) return readCycloneDxXml(doc);
  if (root === 'RDF' && namespaces.includes('spdx.org'))
    throw unsupportedSbom('SPDX RDF/XML document', 'RDF/XML is not read here; convert it to SPDX JSON or tag-value');
  if (root === 'Document' || namespaces.includes('spdx'))
    throw unsupportedSbom('SPDX XML document', 'SPDX XML is not read here; convert it to SPDX JSON or tag-value');
  throw unsupportedSbom(`XML document <${root ?? '?'}>`, 'not an SBOM: expected a CycloneDX <bom>');
}

/**
 * Detects and reads an SBOM. Pure: takes the bytes or text, returns data.
 * @throws PayloadTooLargeError past `maxBytes`; UnsupportedMediaTypeError for a format not read here
 * (SPDX RDF/XML, SPDX XML, CSAF, SARIF, plain text, …); InputError with code `sbom-malformed` for a
 * document that breaks its format or schema, `sbom-not-inventory` for one that lists no software (a VEX
 * document, a SaaSBOM, an SBOM without components). Every message starts with the detected kind.
 * Distribution packages without a `distro` qualifier take the release the document names elsewhere
 * (see sbom-distro-release.ts).
 */
export function parseSbom(input: string | Uint8Array, options: ParseSbomOptions = {}): ParsedSbom {
  return withDistroReleases(readSbom(decode(input, options.maxBytes ?? DEFAULT_MAX_SBOM_BYTES), options));
}

function readSbom(text: string, options: ParseSbomOptions): ParsedSbom {
  const head = text.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return parseJsonDocument(head, options);
  if (head.startsWith('<')) return parseXmlDocument(head);
  if (/^SPDXVersion:\s*SPDX-2/m.test(head)) return readSpdx2(spdxTagValueToJson(head), 'tag-value');
  if (/^spdxVersion:\s*["']?SPDX-2/m.test(head)) {
    const yaml = readYaml(head);
    if (!yaml.ok) throw malformedSbom('SPDX 2 YAML', `not valid YAML: ${yaml.problem}`);
    const doc = yaml.value;
    if (jsonDepth(doc) > MAX_JSON_DEPTH) throw malformedSbom('SPDX 2 YAML', `nests deeper than ${MAX_JSON_DEPTH} levels`);
    if (!isObject(doc)) throw malformedSbom('SPDX 2 YAML', 'the document is not a mapping');
    return readSpdx2(doc, 'yaml');
  }
  throw unsupportedSbom(
    head === '' ? 'empty file' : 'text file',
    'not a recognized SBOM: expected CycloneDX JSON or XML, SPDX JSON, YAML or tag-value, or SPDX 3 JSON-LD',
  );
}

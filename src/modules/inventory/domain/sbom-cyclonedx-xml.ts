import type * as FastXmlParser from 'fast-xml-parser';
import { lazyPackage } from '../../../platform/lazy-package.js';
import { malformedSbom } from './sbom-errors.js';
import { readCycloneDx } from './sbom-cyclonedx.js';
import type { ParsedSbom } from './sbom-model.js';

/**
 * CycloneDX XML (1.0–1.6): converted to the JSON object model and read by {@link readCycloneDx}. The spec
 * version comes from the namespace (http://cyclonedx.org/schema/bom/1.5). XML is not validated against
 * the XSDs (no pure-JS XSD validator is in the dependency set); its structure is checked while reading.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const children = (v: unknown, tag: string): unknown[] => {
  if (!isObject(v)) return [];
  const c = v[tag];
  return Array.isArray(c) ? c : c === undefined ? [] : [c];
};

// Loaded on the first XML document: a process reading JSON SBOMs (most `match` runs) does not pay for it.
const xmlParser = lazyPackage<typeof FastXmlParser>('fast-xml-parser');
let parser: FastXmlParser.XMLParser | undefined;
const newParser = () =>
  new (xmlParser().XMLParser)({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    // Keep xmlns attributes: the namespace is how the CycloneDX version and SPDX RDF are recognized.
    removeNSPrefix: false,
    // Versions such as "1.0" must stay strings.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Hostile XML: external entities are refused by the parser (it never fetches or reads files); internal
    // ones are expanded within these bounds, stated here so that a library upgrade cannot loosen them. Nested
    // entity references are not expanded, so an entity-expansion ("billion laughs") bomb stays a few bytes.
    processEntities: { enabled: true, maxEntitySize: 10_000, maxExpandedLength: 100_000, maxEntityCount: 100, maxTotalExpansions: 10_000 },
    // Components nest, and the reader walks them recursively.
    maxNestedTags: 100,
    isArray: (name) => ['component', 'dependency', 'vulnerability', 'service'].includes(name),
  });

function component(x: unknown): Json {
  if (!isObject(x)) return {};
  return { ...x, components: children(x['components'], 'component').map(component) };
}

/** The bom element's CycloneDX version, from its namespace. */
export function cycloneDxXmlVersion(root: Json): string | null {
  const ns = Object.entries(root).find(
    ([k, v]) => k.startsWith('xmlns') && typeof v === 'string' && v.includes('cyclonedx.org/schema/bom/'),
  );
  const m = ns ? /bom\/(\d+\.\d+)/.exec(ns[1] as string) : null;
  return m ? (m[1] as string) : null;
}

/** Parses XML text into a plain object (shared by format detection). @throws InputError on malformed XML. */
export function parseXml(text: string, kind: string): Json {
  try {
    const doc: unknown = (parser ??= newParser()).parse(text, true);
    if (!isObject(doc)) throw new Error('no document element');
    return doc;
  } catch (error) {
    throw malformedSbom(kind, `not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads a parsed CycloneDX XML document (the object {@link parseXml} returned, whose `bom` is the root).
 * @throws as {@link readCycloneDx}.
 */
export function readCycloneDxXml(doc: Json): ParsedSbom {
  const root = isObject(doc['bom']) ? doc['bom'] : {};
  const subject = children(root['metadata'], 'component')[0];
  const bom: Json = {
    specVersion: cycloneDxXmlVersion(root) ?? 'unknown',
    metadata: subject === undefined ? {} : { component: component(subject) },
    components: children(root['components'], 'component').map(component),
    dependencies: children(root['dependencies'], 'dependency').map((d) => ({
      ref: isObject(d) ? d['ref'] : undefined,
      dependsOn: children(d, 'dependency').map((x) => (isObject(x) ? x['ref'] : undefined)),
    })),
    vulnerabilities: children(root['vulnerabilities'], 'vulnerability'),
    services: children(root['services'], 'service'),
  };
  return readCycloneDx(bom, 'xml');
}

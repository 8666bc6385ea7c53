import { malformedSbom, notAnInventory } from './sbom-errors.js';
import { resolveComponent, type ParsedSbom, type SbomComponent, type SbomDependency } from './sbom-model.js';

/**
 * SPDX 3.0 JSON-LD (the `@graph` serialization with the spdx-context.jsonld context). Packages are the
 * elements of type software_Package and its subclasses (ai_AIPackage, dataset_DatasetPackage); the purl
 * is `software_packageUrl` or an externalIdentifier of type packageUrl, the CPE one of type cpe23/cpe22;
 * the graph comes from Relationship elements (dependsOn and the has…Dependency/link kinds, contains);
 * `describes` marks the subject.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' && v !== 'NOASSERTION' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const PACKAGE_TYPES = new Set(['software_Package', 'ai_AIPackage', 'dataset_DatasetPackage', 'Package', 'software:Package']);
const DEPENDS = new Set(['dependsOn', 'hasDynamicLink', 'hasStaticLink', 'hasProvidedDependency', 'hasOptionalDependency']);

function typeOf(e: Json): string | null {
  return str(e['type']) ?? str(e['@type']);
}

function identifier(e: Json, types: readonly string[]): string | null {
  for (const x of list(e['externalIdentifier'])) {
    if (isObject(x) && types.includes(String(x['externalIdentifierType']))) return str(x['identifier']);
  }
  return null;
}

/**
 * Reads an SPDX 3.0 JSON-LD document object.
 * @throws InputError (sbom-malformed) without an `@graph` array; (sbom-not-inventory) without packages.
 */
export function readSpdx3(doc: Json): ParsedSbom {
  const kind = 'SPDX 3.0 JSON-LD';
  const graph = doc['@graph'];
  if (!Array.isArray(graph)) throw malformedSbom(kind, '"@graph" must be an array of elements', '/@graph');
  const elements = graph.filter(isObject);
  const relationships = elements.filter((e) => typeOf(e)?.endsWith('Relationship'));
  const described = new Set<string>();
  for (const r of relationships)
    if (r['relationshipType'] === 'describes') for (const to of list(r['to'])) if (typeof to === 'string') described.add(to);
  for (const e of elements)
    if (typeOf(e)?.endsWith('Sbom') || typeOf(e) === 'SpdxDocument')
      for (const root of list(e['rootElement'])) if (typeof root === 'string') described.add(root);

  const components: SbomComponent[] = elements
    .filter((e) => PACKAGE_TYPES.has(typeOf(e) ?? ''))
    .map((e, i) => {
      const ref = str(e['spdxId']) ?? str(e['@id']);
      return resolveComponent(
        {
          ref,
          name: str(e['name']),
          version: str(e['software_packageVersion']),
          type: str(e['software_primaryPurpose']),
          purl: str(e['software_packageUrl']) ?? identifier(e, ['packageUrl']),
          cpe: identifier(e, ['cpe23', 'cpe22']),
          subject: ref !== null && described.has(ref),
        },
        `package-${i + 1}`,
      );
    });
  if (components.length === 0) {
    const files = elements.filter((e) => typeOf(e) === 'software_File').length;
    throw notAnInventory(kind, `lists no packages (${files} file(s)): nothing to match`);
  }
  const refs = new Set(components.map((c) => c.ref));
  const dependencies: SbomDependency[] = [];
  for (const r of relationships) {
    const type = String(r['relationshipType']);
    const kindOfEdge = DEPENDS.has(type) ? 'depends-on' : type === 'contains' ? 'contains' : null;
    const from = r['from'];
    if (kindOfEdge === null || typeof from !== 'string' || !refs.has(from)) continue;
    for (const to of list(r['to'])) if (typeof to === 'string' && refs.has(to)) dependencies.push({ from, to, kind: kindOfEdge });
  }
  const docName = elements.find((e) => typeOf(e) === 'SpdxDocument');
  return {
    format: 'SPDX',
    specVersion: '3.0',
    serialization: 'json-ld',
    name: docName ? str(docName['name']) : null,
    components,
    dependencies,
    warnings: [],
  };
}

import { malformedSbom, notAnInventory } from './sbom-errors.js';
import { resolveComponent, type ParsedSbom, type SbomComponent, type SbomDependency } from './sbom-model.js';

/**
 * SPDX 2.x (2.2 and 2.3; JSON, YAML and, through sbom-spdx2-tag-value.ts, tag-value) read from the JSON
 * object model. Packages are the components (files and snippets are not: advisories name packages);
 * the purl is the `purl` external reference, the CPE a `cpe23Type`/`cpe22Type` one; the graph comes from
 * DEPENDS_ON / *_DEPENDENCY_OF and CONTAINS / CONTAINED_BY relationships; DESCRIBES (or 2.2's
 * `documentDescribes`) marks the subject.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' && v !== 'NOASSERTION' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function externalRef(pkg: Json, types: readonly string[]): string | null {
  for (const r of list(pkg['externalRefs'])) {
    if (isObject(r) && typeof r['referenceType'] === 'string' && types.includes(r['referenceType'])) return str(r['referenceLocator']);
  }
  return null;
}

/** The edge a relationship type implies, oriented parent → child, or null for non-graph relationships. */
function edge(type: string, a: string, b: string): SbomDependency | null {
  if (type === 'DEPENDS_ON') return { from: a, to: b, kind: 'depends-on' };
  if (type.endsWith('DEPENDENCY_OF')) return { from: b, to: a, kind: 'depends-on' };
  if (type === 'CONTAINS') return { from: a, to: b, kind: 'contains' };
  if (type === 'CONTAINED_BY') return { from: b, to: a, kind: 'contains' };
  return null;
}

/**
 * Reads an SPDX 2.x document object.
 * @throws InputError (sbom-malformed) for a wrong `packages`/`relationships` shape; InputError
 * (sbom-not-inventory) when the document has no packages.
 */
export function readSpdx2(doc: Json, serialization: 'json' | 'yaml' | 'tag-value'): ParsedSbom {
  const specVersion = (str(doc['spdxVersion']) ?? 'SPDX-2').replace(/^SPDX-/, '');
  const kind = `SPDX ${specVersion} ${serialization === 'tag-value' ? 'tag-value' : serialization.toUpperCase()}`;
  for (const key of ['packages', 'relationships', 'files'] as const) {
    if (doc[key] !== undefined && !Array.isArray(doc[key])) throw malformedSbom(kind, `"${key}" must be an array`, `/${key}`);
  }
  const relationships = list(doc['relationships']).filter(isObject);
  const described = new Set<string>(list(doc['documentDescribes']).filter((x): x is string => typeof x === 'string'));
  for (const r of relationships) {
    if (r['relationshipType'] === 'DESCRIBES' && typeof r['relatedSpdxElement'] === 'string') described.add(r['relatedSpdxElement']);
  }
  const components: SbomComponent[] = list(doc['packages']).map((p, i) => {
    if (!isObject(p)) throw malformedSbom(kind, 'a package must be an object', `/packages/${i}`);
    const ref = str(p['SPDXID']);
    return resolveComponent(
      {
        ref,
        name: str(p['name']),
        version: str(p['versionInfo']),
        type: str(p['primaryPackagePurpose'])?.toLowerCase() ?? null,
        purl: externalRef(p, ['purl']),
        cpe: externalRef(p, ['cpe23Type', 'cpe22Type']),
        subject: ref !== null && described.has(ref),
      },
      `package-${i + 1}`,
    );
  });
  if (components.length === 0) {
    throw notAnInventory(kind, `lists no packages (${list(doc['files']).length} file(s)): nothing to match`);
  }
  const refs = new Set(components.map((c) => c.ref));
  const dependencies = relationships.flatMap((r) => {
    const a = r['spdxElementId'];
    const b = r['relatedSpdxElement'];
    const type = r['relationshipType'];
    if (typeof a !== 'string' || typeof b !== 'string' || typeof type !== 'string') return [];
    const e = edge(type, a, b);
    // Edges to files or to other documents are not part of the component graph.
    return e !== null && refs.has(e.from) && refs.has(e.to) ? [e] : [];
  });
  return { format: 'SPDX', specVersion, serialization, name: str(doc['name']), components, dependencies, warnings: [] };
}

import { malformedSbom, notAnInventory } from './sbom-errors.js';
import { resolveComponent, type ParsedSbom, type RawComponent, type SbomComponent, type SbomDependency } from './sbom-model.js';

/**
 * CycloneDX 1.x read from its JSON object model (the XML reader converts to the same shape first):
 * metadata.component as the subject, `components` with their nested `components`, and `dependencies`
 * ({ ref, dependsOn[] }). Documents that list no software are refused with the reason: a VEX document
 * (vulnerabilities only), a SaaSBOM (services only), or a BOM with neither components nor an
 * identifiable subject.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function raw(c: Json, parentRef: string | null, subject: boolean): RawComponent {
  return {
    ref: str(c['bom-ref']),
    name: str(c['group']) && str(c['name']) ? `${c['group'] as string}/${c['name'] as string}` : str(c['name']),
    version: str(c['version']),
    type: str(c['type']),
    purl: str(c['purl']),
    cpe: str(c['cpe']),
    parentRef,
    subject,
  };
}

/**
 * Reads a CycloneDX BOM object. `serialization` only labels the result.
 * @throws InputError (code sbom-malformed) when `components` or `dependencies` have the wrong shape;
 * InputError (code sbom-not-inventory) for VEX-only, services-only or empty documents.
 */
export function readCycloneDx(bom: Json, serialization: 'json' | 'xml'): ParsedSbom {
  const specVersion = str(bom['specVersion']) ?? 'unknown';
  const kind = `CycloneDX ${specVersion} ${serialization.toUpperCase()}`;
  for (const key of ['components', 'dependencies', 'vulnerabilities', 'services'] as const) {
    if (bom[key] !== undefined && !Array.isArray(bom[key])) throw malformedSbom(kind, `"${key}" must be an array`, `/${key}`);
  }
  const components: SbomComponent[] = [];
  const warnings: string[] = [];
  let counter = 0;
  const add = (c: unknown, parentRef: string | null, subject: boolean, pointer: string): void => {
    if (!isObject(c)) throw malformedSbom(kind, 'a component must be an object', pointer);
    const resolved = resolveComponent(raw(c, parentRef, subject), `component-${++counter}`);
    components.push(resolved);
    list(c['components']).forEach((child, i) => add(child, resolved.ref, false, `${pointer}/components/${i}`));
  };
  const metadata = isObject(bom['metadata']) ? bom['metadata'] : {};
  if (isObject(metadata['component'])) add(metadata['component'], null, true, '/metadata/component');
  list(bom['components']).forEach((c, i) => add(c, null, false, `/components/${i}`));

  const vulnerabilities = list(bom['vulnerabilities']).length;
  const services = list(bom['services']).length;
  const listed = components.filter((c) => !c.subject);
  if (listed.length === 0) {
    if (vulnerabilities > 0) {
      throw notAnInventory(
        `${kind} VEX document`,
        `${vulnerabilities} vulnerability statement(s) and no components: not a software inventory; submit it as a VEX statement`,
      );
    }
    if (services > 0)
      throw notAnInventory(
        `${kind} SaaSBOM`,
        `${services} service(s) and no components: services are not matched against package advisories`,
      );
    const subject = components[0];
    if (!subject || subject.unmatchedReason !== null) {
      throw notAnInventory(
        kind,
        `lists no components${subject ? ` and its subject "${subject.name}" has no purl or CPE` : ''}: nothing to match`,
      );
    }
  }
  if (vulnerabilities > 0)
    warnings.push(`${vulnerabilities} embedded vulnerability statement(s) were not read (VEX is handled separately)`);
  if (services > 0) warnings.push(`${services} service(s) were not read: only components are matched`);

  const refs = new Set(components.map((c) => c.ref));
  const dependencies: SbomDependency[] = [];
  let dangling = 0;
  list(bom['dependencies']).forEach((d, i) => {
    if (!isObject(d) || typeof d['ref'] !== 'string')
      throw malformedSbom(kind, 'a dependency must have a string "ref"', `/dependencies/${i}`);
    for (const to of list(d['dependsOn'])) {
      if (typeof to !== 'string') continue;
      if (!refs.has(d['ref']) || !refs.has(to)) dangling++;
      dependencies.push({ from: d['ref'], to, kind: 'depends-on' });
    }
  });
  // Kept, because a ref may name a service or an external BOM; counted, because it is also a common error.
  if (dangling > 0) warnings.push(`${dangling} dependency edge(s) name a ref that is not a component here`);
  for (const c of components) if (c.parentRef !== null) dependencies.push({ from: c.parentRef, to: c.ref, kind: 'contains' });
  return {
    format: 'CycloneDX',
    specVersion,
    serialization,
    name: components.find((c) => c.subject)?.name ?? null,
    components,
    dependencies,
    warnings,
  };
}

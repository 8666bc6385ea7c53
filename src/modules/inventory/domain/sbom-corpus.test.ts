import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import type { ParsedSbom } from './sbom-model.js';
import { parseSbom } from './sbom-parse.js';

type Outcome = { readonly ok: true; readonly sbom: ParsedSbom } | { readonly ok: false; readonly error: unknown };

function attempt(file: string): Outcome {
  try {
    return { ok: true, sbom: parseSbom(readFileSync(file)) };
  } catch (error) {
    return { ok: false, error };
  }
}

const KINDS =
  /^(CycloneDX \d\.\d (JSON|XML)( VEX document| SaaSBOM)?|SPDX [\d.]+ (JSON|YAML|tag-value|JSON-LD)|SPDX XML document|SPDX RDF\/XML document|text file): ./;

/** Counts components the way the CycloneDX JSON model nests them, independently of the reader. */
function countCycloneDxJson(bom: { metadata?: { component?: unknown }; components?: unknown[] }): number {
  const walk = (list: unknown[] | undefined): number =>
    (list ?? []).reduce<number>((n, c) => n + 1 + walk((c as { components?: unknown[] }).components), 0);
  return (bom.metadata?.component ? 1 : 0) + walk(bom.components);
}

describeWithData('every file under shared/data/sbom', 'sbom', () => {
  const root = sharedData('sbom');
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  const outcomes = new Map(files.map((f) => [f, attempt(path.join(root, f))]));

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(140);
  });

  it('either reads each file into components or refuses it with a typed error naming its kind and the reason', () => {
    for (const [file, o] of outcomes) {
      if (o.ok) {
        expect(o.sbom.components.length, file).toBeGreaterThan(0);
      } else {
        expect(o.error instanceof InputError || o.error instanceof UnsupportedMediaTypeError, `${file}: ${String(o.error)}`).toBe(true);
        expect((o.error as Error).message, file).toMatch(KINDS);
      }
    }
  });

  it('reads every CycloneDX SBOM example, JSON and XML, with identities for all its components', () => {
    const sboms = files.filter((f) => f.startsWith('cyclonedx/SBOM/'));
    expect(sboms.length).toBe(33);
    for (const f of sboms) {
      const o = outcomes.get(f) as Outcome;
      expect(o.ok, `${f}: ${o.ok ? '' : String(o.error)}`).toBe(true);
      if (o.ok)
        expect(
          o.sbom.components.filter((c) => c.unmatchedReason !== null),
          f,
        ).toEqual([]);
    }
  });

  it('counts the same components as the JSON documents nest, and the XML twin agrees', () => {
    for (const f of files.filter((x) => x.startsWith('cyclonedx/SBOM/') && x.endsWith('.json'))) {
      const o = outcomes.get(f) as Outcome;
      const expected = countCycloneDxJson(JSON.parse(readFileSync(path.join(root, f), 'utf8')));
      expect(o.ok && o.sbom.components.length, f).toBe(expected);
      const twin = outcomes.get(f.replace(/\.json$/, '.xml'));
      if (twin?.ok && o.ok) {
        const purls = (s: ParsedSbom) => s.components.map((c) => c.purl ?? c.name).sort();
        expect(purls(twin.sbom), `${f} vs XML`).toEqual(purls(o.sbom));
      }
    }
  });

  it('refuses CycloneDX VEX documents as not an inventory', () => {
    const vex = files.filter((f) => /(^|\/)vex[^/]*\.json$/.test(f));
    expect(vex.length).toBeGreaterThanOrEqual(25);
    for (const f of vex) {
      const o = outcomes.get(f) as Outcome;
      expect(o.ok, f).toBe(false);
      if (!o.ok) {
        expect((o.error as InputError).code, f).toBe('sbom-not-inventory');
        expect((o.error as Error).message, f).toContain('VEX document');
      }
    }
  });

  it('keeps CBOM crypto assets and HBOM devices, each reported unmatched with its reason', () => {
    const cbom = outcomes.get('cyclonedx/CBOM/Algorithm/bom.json') as Outcome;
    expect(cbom.ok && cbom.sbom.components.some((c) => c.unmatchedReason?.includes('cryptographic asset'))).toBe(true);
    const hbom = outcomes.get('cyclonedx/HBOM/PCIe-SATA-adapter-board/bom.json') as Outcome;
    expect(
      hbom.ok && hbom.sbom.components.filter((c) => c.type === 'device').every((c) => c.unmatchedReason?.includes('hardware device')),
    ).toBe(true);
  });

  it('refuses the SaaSBOM (services only) and the SPDX XML and RDF serializations', () => {
    const saas = outcomes.get('cyclonedx/SaaSBOM/apigateway-microservices-datastores/bom.json') as Outcome;
    expect(!saas.ok && (saas.error as Error).message).toMatch(/SaaSBOM: 1 service/);
    for (const f of ['spdx-spec/v2.3/SPDXXMLExample-v2.3.spdx.xml', 'spdx-spec/v2.3/SPDXRdfExample-v2.3.spdx.rdf.xml']) {
      const o = outcomes.get(f) as Outcome;
      expect(!o.ok && o.error instanceof UnsupportedMediaTypeError, f).toBe(true);
    }
  });

  it('reads the SPDX spec example the same from JSON, YAML and tag-value', () => {
    const names = (f: string) => {
      const o = outcomes.get(f) as Outcome;
      if (!o.ok) throw o.error;
      return o.sbom.components.map((c) => [c.ref, c.name, c.version, c.purl, c.cpe]).sort();
    };
    const json = names('spdx-spec/v2.3/SPDXJSONExample-v2.3.spdx.json');
    expect(names('spdx-spec/v2.3/SPDXYAMLExample-2.3.spdx.yaml')).toEqual(json);
    expect(names('spdx-spec/v2.3/SPDXTagExample-v2.3.spdx')).toEqual(json);
  });

  it('reads the same packages and purls from SPDX 2.3 and SPDX 3.0 renderings of one example', () => {
    const purls = (f: string) => {
      const o = outcomes.get(f) as Outcome;
      if (!o.ok) throw o.error;
      return o.sbom.components.map((c) => `${c.name}@${c.version ?? ''} ${c.purl ?? ''}`).sort();
    };
    expect(purls('spdx-examples/software/example11/spdx3.0/sbom.spdx3.json')).toEqual(
      purls('spdx-examples/software/example11/spdx2.3/sbom.spdx.json'),
    );
  });
});

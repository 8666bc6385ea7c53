import { describe, expect, it } from 'vitest';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { parseSbom } from './sbom-parse.js';

function refusal(input: string, options = {}): Error {
  try {
    parseSbom(input, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

const cdx = (spec: string, body: Record<string, unknown>) =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: spec, version: 1, ...body });

describe('CycloneDX JSON', () => {
  const bom = cdx('1.5', {
    metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'shop', version: '2.0' } },
    components: [
      {
        type: 'library',
        'bom-ref': 'web',
        name: 'web',
        version: '1.0.0',
        purl: 'pkg:npm/web@1.0.0',
        components: [{ type: 'library', 'bom-ref': 'inner', name: 'inner', version: '0.1.0', purl: 'pkg:npm/inner@0.1.0' }],
      },
      { type: 'library', 'bom-ref': 'ssl', name: 'openssl', version: '1.1.1k', cpe: 'cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*' },
      { type: 'library', 'bom-ref': 'mystery', name: 'mystery' },
    ],
    dependencies: [
      { ref: 'app', dependsOn: ['web', 'ssl'] },
      { ref: 'web', dependsOn: ['inner'] },
    ],
  });
  const parsed = parseSbom(bom);

  it('flattens nested components and keeps the nesting as parentRef and contains edges', () => {
    expect(parsed.components.map((c) => [c.ref, c.parentRef, c.subject])).toEqual([
      ['app', null, true],
      ['web', null, false],
      ['inner', 'web', false],
      ['ssl', null, false],
      ['mystery', null, false],
    ]);
    expect(parsed.dependencies).toContainEqual({ from: 'web', to: 'inner', kind: 'contains' });
    expect(parsed.dependencies).toContainEqual({ from: 'app', to: 'ssl', kind: 'depends-on' });
  });

  it('takes identity from the purl, else the CPE, and says why a component has neither', () => {
    const byRef = new Map(parsed.components.map((c) => [c.ref, c]));
    expect(byRef.get('web')?.identity).toEqual({
      kind: 'purl',
      purl: 'pkg:npm/web@1.0.0',
      ecosystem: 'npm',
      name: 'web',
      version: '1.0.0',
    });
    expect(byRef.get('ssl')?.identity).toMatchObject({ kind: 'cpe', vendor: 'openssl', product: 'openssl', version: '1.1.1k' });
    expect(byRef.get('mystery')?.identity).toBeNull();
    expect(byRef.get('mystery')?.unmatchedReason).toBe('no purl or CPE');
  });

  it('falls back to the CPE when the purl is invalid, and reports a purl type without ecosystem', () => {
    const p = parseSbom(
      cdx('1.5', {
        components: [
          { type: 'library', name: 'a', purl: 'not a purl', cpe: 'cpe:2.3:a:acme:a:1.0:*:*:*:*:*:*:*' },
          { type: 'library', name: 'b', purl: 'pkg:generic/b@1.0' },
        ],
      }),
    );
    expect(p.components[0]?.identity?.kind).toBe('cpe');
    expect(p.components[1]?.unmatchedReason).toContain('maps to no advisory ecosystem');
  });

  it('refuses a structural schema violation, naming the pointer', () => {
    const e = refusal(cdx('1.5', { components: [{ type: 'not-a-type', name: 'x' }] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^CycloneDX 1\.5 JSON: does not validate against the CycloneDX 1\.5 schema: \/components\/0\/type/);
  });

  it('only warns about a malformed URL format', () => {
    const p = parseSbom(
      cdx('1.5', {
        components: [
          { type: 'library', name: 'x', purl: 'pkg:npm/x@1.0.0', externalReferences: [{ type: 'website', url: 'https://x/${oops}' }] },
        ],
      }),
    );
    expect(p.warnings.some((w) => w.includes('iri-reference'))).toBe(true);
  });

  it('refuses a VEX-only document and an empty one, saying why', () => {
    expect(refusal(cdx('1.4', { vulnerabilities: [{ id: 'CVE-2021-44228' }] })).message).toMatch(/VEX document: 1 vulnerability statement/);
    expect(refusal(cdx('1.4', {})).message).toMatch(/lists no components/);
  });
});

describe('CycloneDX XML', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata><component type="application" bom-ref="app"><name>shop</name><version>2.0</version></component></metadata>
  <components>
    <component type="library" bom-ref="lib"><group>org.x</group><name>lib</name><version>1.0</version><purl>pkg:maven/org.x/lib@1.0</purl>
      <components><component type="library" bom-ref="sub"><name>sub</name><version>1.10</version><purl>pkg:pypi/sub@1.10</purl></component></components>
    </component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="lib"/></dependency></dependencies>
</bom>`;

  it('reads version from the namespace, keeps versions as strings, nesting and dependencies', () => {
    const p = parseSbom(xml);
    expect([p.format, p.specVersion, p.serialization]).toEqual(['CycloneDX', '1.6', 'xml']);
    expect(p.components.map((c) => [c.ref, c.version, c.parentRef])).toEqual([
      ['app', '2.0', null],
      ['lib', '1.0', null],
      ['sub', '1.10', 'lib'],
    ]);
    expect(p.components[1]?.identity).toMatchObject({ ecosystem: 'Maven', name: 'org.x:lib' });
    expect(p.dependencies).toContainEqual({ from: 'app', to: 'lib', kind: 'depends-on' });
  });

  it('decodes character entities but does not expand nested DOCTYPE entities (billion laughs)', () => {
    const amp =
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>curl</name><purl>pkg:deb/debian/curl@7.0?arch=amd64&amp;distro=debian-11</purl></component></components></bom>';
    expect(parseSbom(amp).components[0]?.identity).toMatchObject({ ecosystem: 'Debian:11', name: 'curl' });
    const entities = ['a "aaaaaaaaaa"', ...'bcdef'.split('').map((x, i) => `${x} "${`&${'abcde'[i] as string};`.repeat(10)}"`)];
    const lol = `<?xml version="1.0"?><!DOCTYPE bom [${entities.map((e) => `<!ENTITY ${e}>`).join('')}]><bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&f;&f;</name><purl>pkg:npm/x@1.0.0</purl></component></components></bom>`;
    let nameLength = 0;
    try {
      nameLength = parseSbom(lol).components[0]?.name.length ?? 0;
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
    }
    expect(nameLength).toBeLessThan(10_000);
  });

  it('refuses XML that is not well-formed', () => {
    expect(refusal('<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>').message).toMatch(/^XML file: not well-formed XML/);
  });
});

describe('SPDX 2', () => {
  const json = JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'demo',
    packages: [
      { SPDXID: 'SPDXRef-app', name: 'app', versionInfo: '1.0' },
      {
        SPDXID: 'SPDXRef-req',
        name: 'requests',
        versionInfo: '2.30.0',
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/requests@2.30.0' }],
      },
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-app' },
      { spdxElementId: 'SPDXRef-req', relationshipType: 'DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-app' },
    ],
  });

  it('reads packages, purl external refs, DESCRIBES and reversed DEPENDENCY_OF edges', () => {
    const p = parseSbom(json);
    expect(p.components.map((c) => [c.ref, c.subject, c.identity?.kind ?? null])).toEqual([
      ['SPDXRef-app', true, null],
      ['SPDXRef-req', false, 'purl'],
    ]);
    expect(p.dependencies).toEqual([{ from: 'SPDXRef-app', to: 'SPDXRef-req', kind: 'depends-on' }]);
  });

  it('reads tag-value, including multi-line <text> values', () => {
    const tv = [
      'SPDXVersion: SPDX-2.3',
      'DocumentName: demo',
      'SPDXID: SPDXRef-DOCUMENT',
      'PackageName: requests',
      'SPDXID: SPDXRef-req',
      'PackageVersion: 2.30.0',
      'PackageComment: <text>line one',
      'PackageName: not-a-package-line',
      '</text>',
      'ExternalRef: PACKAGE-MANAGER purl pkg:pypi/requests@2.30.0',
      'FileName: ./a.py',
      'SPDXID: SPDXRef-file',
      'Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-req',
    ].join('\n');
    const p = parseSbom(tv);
    expect(p.components.map((c) => [c.ref, c.name, c.version, c.purl, c.subject])).toEqual([
      ['SPDXRef-req', 'requests', '2.30.0', 'pkg:pypi/requests@2.30.0', true],
    ]);
  });

  it('refuses a document with files only', () => {
    expect(refusal(JSON.stringify({ spdxVersion: 'SPDX-2.3', files: [{ fileName: 'a' }] })).message).toBe(
      'SPDX 2.3 JSON: lists no packages (1 file(s)): nothing to match',
    );
  });
});

describe('SPDX 3.0 JSON-LD', () => {
  it('reads packages with software_packageUrl and externalIdentifier, and relationships', () => {
    const doc = JSON.stringify({
      '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
      '@graph': [
        { type: 'software_Package', spdxId: 'urn:a', name: 'a', software_packageVersion: '1.0', software_packageUrl: 'pkg:cargo/a@1.0' },
        {
          type: 'software_Package',
          spdxId: 'urn:b',
          name: 'b',
          externalIdentifier: [
            { type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: 'cpe:2.3:a:b:b:2.0:*:*:*:*:*:*:*' },
          ],
        },
        { type: 'Relationship', spdxId: 'urn:r', from: 'urn:a', relationshipType: 'dependsOn', to: ['urn:b'] },
      ],
    });
    const p = parseSbom(doc);
    expect(p.components.map((c) => c.identity?.kind)).toEqual(['purl', 'cpe']);
    expect(p.dependencies).toEqual([{ from: 'urn:a', to: 'urn:b', kind: 'depends-on' }]);
  });
});

describe('detection and refusals', () => {
  it.each([
    [JSON.stringify({ document: { csaf_version: '2.0' } }), /^CSAF document: not an SBOM/],
    [JSON.stringify({ id: 'GHSA-x', schema_version: '1.6.0', affected: [] }), /^OSV advisory: not an SBOM/],
    ['# just a readme\n', /^text file: not a recognized SBOM/],
    ['', /^empty file/],
    ['{ "bomFormat": ', /^JSON file: not valid JSON/],
  ])('refuses %j', (input, message) => {
    expect(refusal(input).message).toMatch(message);
  });

  it('refuses non-UTF-8 bytes and oversized input with typed errors', () => {
    expect(() => parseSbom(new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(UnsupportedMediaTypeError);
    expect(() => parseSbom(cdx('1.5', {}), { maxBytes: 10 })).toThrow(PayloadTooLargeError);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const bytes = new TextEncoder().encode(
      `\ufeff${cdx('1.5', { components: [{ type: 'library', name: 'x', purl: 'pkg:npm/x@1.0.0' }] })}`,
    );
    expect(parseSbom(bytes).components).toHaveLength(1);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { AdvisoryIndex } from './match-index.js';
import type { OsvRecord } from './osv-record.js';
import { distroReleasesOf } from './sbom-distro-release.js';
import { matchSbomAgainstAdvisories } from './sbom-match.js';
import { parseSbom } from './sbom-parse.js';

// Issue 12: a deb/apk/rpm component without a distro qualifier was read as plain "Ubuntu" (or Debian,
// Alpine, Red Hat) although the SBOM named its release elsewhere, so it matched every release's advisory
// ("maybe", low confidence): a cross-release false positive.

/** One advisory per release, each affecting every version of the package before `fixed`. */
function advisoriesFor(name: string, fixed: string, ecosystems: readonly string[]): AdvisoryIndex {
  const index = new AdvisoryIndex();
  for (const ecosystem of ecosystems) {
    const record: OsvRecord = {
      id: `TEST-${ecosystem}`,
      affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
    };
    index.upsert(record);
  }
  return index;
}

const matched = (sbom: string, index: AdvisoryIndex) =>
  matchSbomAgainstAdvisories(parseSbom(sbom), index).matches.map((m) => [m.advisory, m.status, m.confidence]);

const cdx = (body: Record<string, unknown>) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, ...body });
const spdx2 = (packages: Record<string, unknown>[]) =>
  JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'image',
    packages: packages.map(({ purl, ...p }, i) => ({
      SPDXID: `SPDXRef-Package-${i}`,
      ...p,
      ...(purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] } : {}),
    })),
  });
const spdx3 = (elements: Record<string, unknown>[]) =>
  JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': elements });

describe('CycloneDX', () => {
  it('an operating-system component names the release: Ubuntu 22.04 matches Ubuntu:22.04:LTS only, exactly', () => {
    const bom = cdx({
      components: [
        { type: 'operating-system', 'bom-ref': 'os', name: 'ubuntu', version: '22.04' },
        {
          type: 'library',
          'bom-ref': 'nginx',
          name: 'nginx',
          version: '1.18.0-6ubuntu14',
          purl: 'pkg:deb/ubuntu/nginx@1.18.0-6ubuntu14?arch=amd64',
        },
      ],
    });
    const index = advisoriesFor('nginx', '1.18.0-6ubuntu14.5', ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS']);
    expect(matched(bom, index)).toEqual([['TEST-Ubuntu:22.04:LTS', 'affected', 'exact']]);
    expect(parseSbom(bom).warnings).toContain(
      '1 Ubuntu package(s) without a distro qualifier read as Ubuntu:22.04:LTS, the release the document names',
    );
  });

  it('metadata.component of type operating-system names it too, by its CPE: RHEL 9 matches the 9 streams only', () => {
    const bom = cdx({
      metadata: {
        component: {
          type: 'operating-system',
          'bom-ref': 'rhel',
          name: 'host-17',
          cpe: 'cpe:2.3:o:redhat:enterprise_linux:9.4:*:*:*:*:*:*:*',
        },
      },
      components: [
        { type: 'library', 'bom-ref': 'ssl', name: 'openssl', version: '3.0.7-24.el9', purl: 'pkg:rpm/redhat/openssl@3.0.7-24.el9' },
      ],
    });
    const index = advisoriesFor('openssl', '1:3.0.7-27.el9', [
      'Red Hat:enterprise_linux:8::appstream',
      'Red Hat:enterprise_linux:9::baseos',
      'Red Hat:rhel_eus:9.2::baseos',
    ]);
    expect(matched(bom, index)).toEqual([['TEST-Red Hat:enterprise_linux:9::baseos', 'affected', 'exact']]);
  });

  it('reads a package of another distribution, or one with its own qualifier, as before', () => {
    const bom = cdx({
      components: [
        { type: 'operating-system', 'bom-ref': 'os', name: 'Ubuntu', version: '22.04' },
        { type: 'library', 'bom-ref': 'a', name: 'curl', version: '7.88.1-10', purl: 'pkg:deb/debian/curl@7.88.1-10' },
        { type: 'library', 'bom-ref': 'b', name: 'zlib', version: '1.2.11', purl: 'pkg:deb/ubuntu/zlib@1.2.11?distro=focal' },
      ],
    });
    expect(parseSbom(bom).components.map((c) => (c.identity?.kind === 'purl' ? c.identity.ecosystem : null))).toEqual([
      null,
      'Debian',
      'Ubuntu:20.04:LTS',
    ]);
  });

  it('leaves the release open, with a warning, when the document names two', () => {
    const bom = cdx({
      components: [
        { type: 'operating-system', 'bom-ref': 'os', name: 'alpine', version: '3.19.1' },
        { type: 'library', 'bom-ref': 'a', name: 'musl', version: '1.2.4-r2', purl: 'pkg:apk/alpine/musl@1.2.4-r2?distro=3.18.4' },
        { type: 'library', 'bom-ref': 'b', name: 'busybox', version: '1.36.1-r15', purl: 'pkg:apk/alpine/busybox@1.36.1-r15' },
      ],
    });
    const parsed = parseSbom(bom);
    expect(parsed.components.map((c) => (c.identity?.kind === 'purl' ? c.identity.ecosystem : null))).toEqual([
      null,
      'Alpine:v3.18',
      'Alpine',
    ]);
    expect(parsed.warnings.join('\n')).toContain('the document names Alpine:v3.18, Alpine:v3.19');
  });
});

describe('SPDX', () => {
  it('2.3: an OPERATING-SYSTEM package names the release: Debian 12 matches Debian:12 only', () => {
    const doc = spdx2([
      { name: 'debian', versionInfo: '12.4', primaryPackagePurpose: 'OPERATING-SYSTEM' },
      { name: 'openssl', versionInfo: '3.0.11-1~deb12u1', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64' },
    ]);
    const index = advisoriesFor('openssl', '3.0.11-1~deb12u2', ['Debian:11', 'Debian:12']);
    expect(matched(doc, index)).toEqual([['TEST-Debian:12', 'affected', 'exact']]);
  });

  it('2.3: the distro qualifiers on the distribution packages name it for those without one', () => {
    const doc = spdx2([
      { name: 'base-files', versionInfo: '12ubuntu4.6', purl: 'pkg:deb/ubuntu/base-files@12ubuntu4.6?distro=ubuntu-22.04' },
      { name: 'nginx', versionInfo: '1.18.0-6ubuntu14', purl: 'pkg:deb/ubuntu/nginx@1.18.0-6ubuntu14' },
    ]);
    const index = advisoriesFor('nginx', '1.18.0-6ubuntu14.5', ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS']);
    expect(matched(doc, index)).toEqual([['TEST-Ubuntu:22.04:LTS', 'affected', 'exact']]);
  });

  it('2.3 tag-value reads the same OPERATING-SYSTEM package', () => {
    const doc = [
      'SPDXVersion: SPDX-2.3',
      'DataLicense: CC0-1.0',
      'SPDXID: SPDXRef-DOCUMENT',
      'DocumentName: image',
      'PackageName: debian',
      'SPDXID: SPDXRef-os',
      'PackageVersion: 12',
      'PrimaryPackagePurpose: OPERATING-SYSTEM',
      'PackageName: openssl',
      'SPDXID: SPDXRef-openssl',
      'PackageVersion: 3.0.11-1~deb12u1',
      'ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/openssl@3.0.11-1~deb12u1',
    ].join('\n');
    const index = advisoriesFor('openssl', '3.0.11-1~deb12u2', ['Debian:11', 'Debian:12']);
    expect(matched(doc, index)).toEqual([['TEST-Debian:12', 'affected', 'exact']]);
  });

  it('3.0: a package whose purpose is operatingSystem names the release: Alpine 3.19 matches Alpine:v3.19 only', () => {
    const doc = spdx3([
      {
        type: 'software_Package',
        spdxId: 'urn:os',
        name: 'Alpine Linux',
        software_packageVersion: '3.19.1',
        software_primaryPurpose: 'operatingSystem',
      },
      {
        type: 'software_Package',
        spdxId: 'urn:musl',
        name: 'musl',
        software_packageVersion: '1.2.4-r2',
        software_packageUrl: 'pkg:apk/alpine/musl@1.2.4-r2',
      },
    ]);
    const index = advisoriesFor('musl', '1.2.4-r3', ['Alpine:v3.18', 'Alpine:v3.19', 'Alpine:v3.20']);
    expect(matched(doc, index)).toEqual([['TEST-Alpine:v3.19', 'affected', 'exact']]);
  });
});

describeWithData('real SBOMs', 'sbom', () => {
  const read = (file: string) => parseSbom(readFileSync(sharedData('sbom', file)));

  it('CycloneDX OBOM example: the Red Hat Enterprise Linux 8.0 operating-system component names Red Hat:enterprise_linux:8', () => {
    for (const file of ['cyclonedx/OBOM/Example-1-Decoupled/obom.json', 'cyclonedx/OBOM/Example-1-Standalone/bom.json']) {
      const releases = distroReleasesOf(read(file).components);
      expect(
        [...releases].map(([base, set]) => [base, [...set]]),
        file,
      ).toEqual([['Red Hat', ['Red Hat:enterprise_linux:8']]]);
    }
  });

  it('SPDX example 11 names no release: its Debian package stays release-less (2.3 and 3.0 alike)', () => {
    for (const file of [
      'spdx-examples/software/example11/spdx2.3/sbom.spdx.json',
      'spdx-examples/software/example11/spdx3.0/sbom.spdx3.json',
    ]) {
      const sbom = read(file);
      const deb = sbom.components.find((c) => c.purl?.startsWith('pkg:deb/'));
      expect(deb?.identity?.kind === 'purl' ? deb.identity.ecosystem : null, file).toBe('Debian');
      expect(
        sbom.warnings.filter((w) => w.includes('distro qualifier')),
        file,
      ).toEqual([]);
    }
  });
});

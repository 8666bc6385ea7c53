import { deflateRawSync, crc32 } from 'node:zlib';
import type { OsvEvent, OsvRecord } from '../domain/osv-record.js';

/** Test fixtures: SBOMs, OSV records and ZIP archives built in code. */

export interface FixtureComponent {
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
}

/** A schema-valid CycloneDX 1.5 JSON SBOM listing the components, as text. */
export function cycloneDx(components: readonly FixtureComponent[], name = 'fixture'): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { component: { type: 'application', name, 'bom-ref': 'root' } },
    components: components.map((c, i) => ({
      type: 'library',
      'bom-ref': `c${i}`,
      name: c.name,
      ...(c.version === undefined ? {} : { version: c.version }),
      ...(c.purl === undefined ? {} : { purl: c.purl }),
    })),
  });
}

/** The same components as CycloneDX 1.5 XML. */
export function cycloneDxXml(components: readonly FixtureComponent[]): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const items = components
    .map(
      (c, i) =>
        `<component type="library" bom-ref="c${i}"><name>${escape(c.name)}</name>${c.version ? `<version>${escape(c.version)}</version>` : ''}${c.purl ? `<purl>${escape(c.purl)}</purl>` : ''}</component>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>${items}</components></bom>`;
}

/** An SPDX 2.3 tag-value document with one package per component. */
export function spdxTagValue(components: readonly FixtureComponent[]): string {
  const head = [
    'SPDXVersion: SPDX-2.3',
    'DataLicense: CC0-1.0',
    'SPDXID: SPDXRef-DOCUMENT',
    'DocumentName: fixture',
    'DocumentNamespace: https://example.com/fixture',
    'Creator: Tool: test',
    'Created: 2026-01-01T00:00:00Z',
  ];
  const packages = components.map((c, i) =>
    [
      `PackageName: ${c.name}`,
      `SPDXID: SPDXRef-Package-${i}`,
      ...(c.version ? [`PackageVersion: ${c.version}`] : []),
      'PackageDownloadLocation: NOASSERTION',
      ...(c.purl ? [`ExternalRef: PACKAGE-MANAGER purl ${c.purl}`] : []),
    ].join('\n'),
  );
  return `${[head.join('\n'), ...packages].join('\n\n')}\n`;
}

/** A PyPI component by name and version, with its purl. */
export const pypi = (name: string, version?: string): FixtureComponent => ({
  name,
  ...(version === undefined ? {} : { version }),
  purl: `pkg:pypi/${name}${version === undefined ? '' : `@${version}`}`,
});

/** An OSV record with one affected package and one ECOSYSTEM range. */
export function osvRecord(
  id: string,
  ecosystem: string,
  name: string,
  events: readonly OsvEvent[],
  extra: Partial<OsvRecord> = {},
): OsvRecord {
  return {
    id,
    modified: '2026-01-01T00:00:00Z',
    aliases: [`CVE-2026-${id.replace(/\D/g, '').padStart(4, '0')}`],
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    ...extra,
  };
}

/**
 * A ZIP archive of the files (deflated unless `stored`), for the ZIP reader and `match --osv x.zip`. With
 * `zip64` every size and offset is moved into ZIP64 records, as archives past 65,535 entries or 4 GiB have.
 */
export function zipOf(files: Readonly<Record<string, string | Buffer>>, options: { stored?: boolean; zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const packed = options.stored ? data : deflateRawSync(data);
    const method = options.stored ? 0 : 8;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(options.zip64 ? 0xffffffff : packed.length, 20);
    central.writeUInt32LE(options.zip64 ? 0xffffffff : data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 42);
    const extra = Buffer.alloc(options.zip64 ? 28 : 0);
    if (options.zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(packed.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
      central.writeUInt16LE(extra.length, 30);
    }
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes, extra);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const count = Object.keys(files).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16);
  if (!options.zip64) return Buffer.concat([...locals, directory, end]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, directory, record, locator, end]);
}

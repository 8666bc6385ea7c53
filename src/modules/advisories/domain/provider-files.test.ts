import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { generateSigningKey, Signer, verifyDetached } from './openpgp-signing.js';
import {
  changesCsv,
  documentPath,
  hashFile,
  indexTxt,
  providerMetadata,
  rolieFeed,
  securityTxt,
  type ProviderEntry,
} from './provider-files.js';

const base = 'https://clearinghouse.example';
const entry = (trackingId: string, initial: string, current: string): ProviderEntry => ({
  trackingId,
  title: `Advisory ${trackingId}`,
  category: 'csaf_security_advisory',
  label: 'WHITE',
  path: documentPath(initial, `${trackingId.toLowerCase()}.json`),
  initialReleaseDate: initial,
  currentReleaseDate: current,
  summary: `Summary of ${trackingId}`,
});
const entries = [
  entry('CH-2025-0099', '2025-12-30T10:00:00.000Z', '2026-07-21T10:00:00.000Z'),
  entry('CH-2026-0001', '2026-07-20T21:00:00.000Z', '2026-07-20T21:00:00.000Z'),
  entry('CH-2026-0002', '2026-07-22T08:00:00.000Z', '2026-07-22T08:00:00.000Z'),
];

describeWithData('provider metadata against the OASIS provider JSON schema', 'csaf/csaf_2.0/json_schema', () => {
  it('is valid, a trusted provider, with a directory and a feed per label and the public key', () => {
    const schema = JSON.parse(readFileSync(sharedData('csaf/csaf_2.0/json_schema/provider_json_schema.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const csafSchema = JSON.parse(readFileSync(sharedData('csaf/csaf_2.0/json_schema/csaf_json_schema.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajvFormats.default.default(ajv);
    for (const name of ['cvss-v2.0', 'cvss-v3.0', 'cvss-v3.1']) {
      const cvss = JSON.parse(readFileSync(sharedData(`csaf/csaf_2.0/referenced_schema/first/${name}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      // Draft-07 schemas in a 2020-12 validator: their `$schema` is not needed to check the provider metadata.
      delete cvss['$schema'];
      delete cvss['$id'];
      delete cvss['id'];
      ajv.addSchema(cvss, `https://www.first.org/cvss/${name}.json`);
    }
    ajv.addSchema(csafSchema);
    const validate = ajv.compile(schema);
    const metadata = providerMetadata(
      {
        baseUrl: base,
        publisher: { name: 'Clearinghouse', namespace: base, contactDetails: 'cert@clearinghouse.example' },
        keyFingerprints: ['b08e68a11b2629ff8cc397c223ac5224716ff235'],
      },
      ['WHITE', 'AMBER'],
      '2026-07-22T08:00:00.000Z',
    );
    expect(validate(metadata), JSON.stringify(validate.errors)).toBe(true);
    expect(metadata).toMatchObject({
      role: 'csaf_trusted_provider',
      canonical_url: `${base}/.well-known/csaf/provider-metadata.json`,
      public_openpgp_keys: [
        {
          fingerprint: 'B08E68A11B2629FF8CC397C223AC5224716FF235',
          url: `${base}/.well-known/csaf/openpgp/B08E68A11B2629FF8CC397C223AC5224716FF235.asc`,
        },
      ],
    });
    expect((metadata['distributions'] as { directory_url: string }[]).map((d) => d.directory_url)).toEqual([
      `${base}/.well-known/csaf/white/`,
      `${base}/.well-known/csaf/amber/`,
    ]);
    expect(validate({ ...metadata, role: 'csaf_aggregator' })).toBe(false);
  });
});

describe('provider directory files', () => {
  it('puts each document in the folder of its initial release year and lists it', () => {
    expect(entries.map((e) => e.path)).toEqual(['2025/ch-2025-0099.json', '2026/ch-2026-0001.json', '2026/ch-2026-0002.json']);
    expect(indexTxt(entries)).toBe('2025/ch-2025-0099.json\n2026/ch-2026-0001.json\n2026/ch-2026-0002.json\n');
  });

  it('lists changes newest first', () => {
    expect(changesCsv(entries)).toBe(
      '"2026/ch-2026-0002.json","2026-07-22T08:00:00.000Z"\n"2025/ch-2025-0099.json","2026-07-21T10:00:00.000Z"\n"2026/ch-2026-0001.json","2026-07-20T21:00:00.000Z"\n',
    );
  });

  it('writes a ROLIE feed shaped like the OASIS example, with hash and signature links', () => {
    const feed = rolieFeed(base, 'WHITE', entries, '2026-07-22T08:00:00.000Z') as {
      feed: { entry: { id: string; link: { rel: string; href: string }[] }[] };
    };
    expect(feed.feed.entry.map((e) => e.id)).toEqual(['CH-2026-0002', 'CH-2025-0099', 'CH-2026-0001']);
    expect(feed.feed.entry[0]?.link.map((l) => l.rel)).toEqual(['self', 'hash', 'hash', 'signature']);
    expect(feed.feed.entry[0]?.link[3]?.href).toBe(`${base}/.well-known/csaf/white/2026/ch-2026-0002.json.asc`);
  });

  it('writes security.txt with the CSAF line and hash files as sha256sum does', () => {
    const txt = securityTxt(base, 'cert@clearinghouse.example', '2027-01-01T00:00:00.000Z');
    expect(txt.split('\n')).toContain(`CSAF: ${base}/.well-known/csaf/provider-metadata.json`);
    expect(txt.split('\n')).toContain('Contact: mailto:cert@clearinghouse.example');
    const bytes = Buffer.from('{"a":1}');
    expect(hashFile('sha256', bytes, 'x.json')).toBe(`${createHash('sha256').update(bytes).digest('hex')}  x.json\n`);
    expect(hashFile('sha512', bytes, 'x.json')).toMatch(/^[0-9a-f]{128} {2}x\.json\n$/);
  });
});

describe('OpenPGP signatures', () => {
  it('signs detached and verifies only the exact bytes', async () => {
    const material = await generateSigningKey('Clearinghouse CSAF', 'csaf@clearinghouse.example', new Date('2026-06-01T00:00:00Z'));
    expect(material.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const signer = await Signer.fromArmored(material.privateKey);
    expect(signer.fingerprint).toBe(material.fingerprint);
    const bytes = Buffer.from('{"document":{}}');
    const signature = await signer.sign(bytes);
    expect(signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(await verifyDetached(bytes, signature, material.publicKey)).toBe(true);
    expect(await verifyDetached(Buffer.from('{"document":{ }}'), signature, material.publicKey)).toBe(false);
    await expect(Signer.fromArmored('not a key')).rejects.toThrow(/not an armored OpenPGP private key/);
  });
});

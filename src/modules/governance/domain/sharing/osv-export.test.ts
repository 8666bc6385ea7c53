import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { osvRecord, type PublishedAdvisory } from './osv-export.js';

const addFormats = ajvFormats.default.default;

const advisory: PublishedAdvisory = {
  advisoryId: 'CHX-2026-0007',
  aliases: ['CVE-2026-12345', 'CVE-2026-12345'],
  title: 'Path traversal in archive extraction\n lets a crafted tarball write outside the target directory',
  details: 'Extracting a crafted archive writes files outside the destination directory.',
  publishedAt: '2026-07-01T12:00:00+02:00',
  modifiedAt: '2026-07-02T08:00:00Z',
  withdrawnAt: null,
  cvss: [
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N' },
    { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N' },
  ],
  cwes: ['CWE-22'],
  affected: [
    {
      ecosystem: 'npm',
      name: '@acme/untar',
      purl: 'pkg:npm/%40acme/untar',
      versions: ['2.3.0', '2.3.1'],
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.3.2' }] }],
    },
    {
      ecosystem: 'PyPI',
      name: 'acme-untar',
      purl: null,
      versions: [],
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://clearinghouse.example/.well-known/csaf/white/2026/chx-2026-0007.json' }],
  credits: [{ name: 'Example Lab scanner', type: 'FINDER' }],
};

it('writes the id under x_, UTC timestamps, one alias each, and a one-line summary', () => {
  const record = osvRecord(advisory);
  expect(record).toMatchObject({
    id: 'x_CHX-2026-0007',
    published: '2026-07-01T10:00:00.000Z',
    modified: '2026-07-02T08:00:00.000Z',
    aliases: ['CVE-2026-12345'],
    summary: 'Path traversal in archive extraction lets a crafted tarball write outside the target directory',
    severity: [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N' },
    ],
  });
  expect(record).not.toHaveProperty('withdrawn');
  expect(osvRecord({ ...advisory, withdrawnAt: '2026-08-01T00:00:00Z' })).toMatchObject({ withdrawn: '2026-08-01T00:00:00.000Z' });
});

describeWithData('OSV export against the OSV schema', 'osv/osv-schema/validation/schema.json', () => {
  const schema = JSON.parse(readFileSync(sharedData('osv/osv-schema/validation/schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('is a valid OSV record, withdrawn or not', () => {
    for (const a of [
      advisory,
      { ...advisory, withdrawnAt: '2026-08-01T00:00:00Z', cvss: [], credits: [], references: [], cwes: [], aliases: [] },
    ]) {
      expect(validate(osvRecord(a)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('the harness refuses a record the schema refuses (an unknown ecosystem, a range without introduced)', () => {
    const badEcosystem = osvRecord({ ...advisory, affected: [{ ...advisory.affected[0]!, ecosystem: 'NotAnEcosystem' }] });
    expect(validate(badEcosystem)).toBe(false);
    const noIntroduced = osvRecord({
      ...advisory,
      affected: [{ ...advisory.affected[0]!, ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }],
    });
    expect(validate(noIntroduced)).toBe(false);
  });
});

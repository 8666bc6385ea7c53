import { describe, expect, it } from 'vitest';
import { TLP_LABELS, type Tlp } from '../../../../platform/tlp.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { bundleSchemaErrors, readTestdata, schemaForType, stixSchemaErrors } from '../../test-support/stix-schemas.js';
import type { SharedRecords, SharedVulnerability } from './shared-records.js';
import { stixBundle, type Producer, type StixObject } from './stix-bundle.js';
import { uuidV5 } from './stix-ids.js';
import { TLP2_EXTENSION_DEFINITION, tlpMarkingDefinition } from './tlp-markings.js';

type Bundle = { objects: Record<string, unknown>[] };

// The official TLP 2.0 marking definitions as OASIS publishes them (testdata/tlp-2.0, see its README).
const OFFICIAL_FILES: Record<Tlp, string> = {
  CLEAR: 'tlp-2.0/tlp-clear.json',
  GREEN: 'tlp-2.0/marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb.json',
  AMBER: 'tlp-2.0/tlp-amber.json',
  'AMBER+STRICT': 'tlp-2.0/tlp-amber+strict.json',
  RED: 'tlp-2.0/marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1.json',
};
const official = (tlp: Tlp) => (readTestdata(OFFICIAL_FILES[tlp]) as Bundle).objects[0] as { id: string; name: string };
const OFFICIAL_ID = Object.fromEntries(TLP_LABELS.map((tlp) => [tlp, official(tlp).id])) as Record<Tlp, string>;

const producer: Producer = {
  key: 'clearinghouse',
  name: 'Clearinghouse Coordination Center',
  description: 'the AI cybersecurity clearinghouse',
  createdAt: '2026-06-02T12:00:00.000Z',
};

function vulnerability(recordId: string, tlp: Tlp, extra: Partial<SharedVulnerability> = {}): SharedVulnerability {
  return {
    recordId,
    tlp,
    title: `Heap overflow in ${recordId}`,
    description: 'A crafted archive overflows a heap buffer.',
    aliases: [],
    cwes: ['CWE-787'],
    targets: ['pkg:npm/left-pad@1.0.0'],
    state: 'valid',
    createdAt: '2026-06-03T10:00:00Z',
    modifiedAt: '2026-06-04T11:30:00.5Z',
    vendorOrgIds: [],
    ...extra,
  };
}

function errorsOfEveryObject(objects: readonly Record<string, unknown>[]): string[] {
  return objects.flatMap((o) =>
    stixSchemaErrors(schemaForType(String(o.type)), o).map((e) => `${String(o.id)} ${e.instancePath} ${e.message}`),
  );
}

describe('the STIX 2.1 schemas (harness)', () => {
  const examples = readTestdata('stix-fixtures/spec-examples.json') as Bundle;

  it('accept the specification examples', () => {
    expect(bundleSchemaErrors(examples)).toEqual([]);
    expect(errorsOfEveryObject(examples.objects)).toEqual([]);
  });

  it.each([
    ['a vulnerability without a name', 1, (o: Record<string, unknown>): unknown => delete o.name],
    ['an id that is no UUID', 1, (o: Record<string, unknown>): unknown => (o.id = 'vulnerability--1234')],
    ['a timestamp without milliseconds', 1, (o: Record<string, unknown>): unknown => (o.created = '2016-05-12T08:17:27Z')],
    ['a note about nothing', 2, (o: Record<string, unknown>): unknown => (o.object_refs = [])],
    ['a relationship without a target', 3, (o: Record<string, unknown>): unknown => delete o.target_ref],
  ] as const)('refuse %s', (_name, index, spoil) => {
    const copy = structuredClone(examples);
    spoil(copy.objects[index] as Record<string, unknown>);
    expect(stixSchemaErrors(schemaForType(String(copy.objects[index]?.type)), copy.objects[index])).not.toEqual([]);
  });
});

describe('TLP 2.0 markings', () => {
  it.each(TLP_LABELS)('TLP:%s is the official marking definition, byte for byte in meaning', (tlp) => {
    expect(tlpMarkingDefinition(tlp)).toEqual(official(tlp));
    expect(stixSchemaErrors('common/marking-definition.json', tlpMarkingDefinition(tlp))).toEqual([]);
  });

  it('the extension definition is the official object', () => {
    const file = readTestdata('tlp-2.0/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json') as Bundle;
    expect(TLP2_EXTENSION_DEFINITION).toEqual(file.objects[0]);
    expect(stixSchemaErrors('common/extension-definition.json', TLP2_EXTENSION_DEFINITION)).toEqual([]);
  });
});

describe('STIX bundles', () => {
  const records: SharedRecords = {
    vulnerabilities: [
      vulnerability('clu_clear', 'CLEAR', { aliases: ['CVE-2026-0001', 'GHSA-abcd-efgh-ijkl'], vendorOrgIds: ['org_vendor'] }),
      vulnerability('clu_green', 'GREEN', { vendorOrgIds: ['org_vendor'], description: null }),
      vulnerability('clu_amber', 'AMBER'),
      vulnerability('clu_strict', 'AMBER+STRICT'),
      vulnerability('clu_red', 'RED', { vendorOrgIds: ['org_other'] }),
    ],
    notes: [
      {
        recordId: 'note_1',
        tlp: 'GREEN',
        about: ['clu_green', 'clu_absent'],
        abstract: 'Validated',
        content: 'Reproduced independently by two organisations.',
        authors: ['Clearinghouse validation'],
        createdAt: '2026-06-05T00:00:00Z',
        modifiedAt: '2026-06-05T00:00:00Z',
      },
      {
        recordId: 'note_orphan',
        tlp: 'GREEN',
        about: ['clu_absent'],
        abstract: null,
        content: 'about a record the recipient does not get',
        authors: [],
        createdAt: '2026-06-05T00:00:00Z',
        modifiedAt: '2026-06-05T00:00:00Z',
      },
    ],
    links: [
      {
        sourceId: 'clu_green',
        targetId: 'clu_red',
        type: 'related-to',
        description: null,
        createdAt: '2026-06-05T00:00:00Z',
        modifiedAt: '2026-06-05T00:00:00Z',
      },
    ],
    orgs: [
      { orgId: 'org_vendor', name: 'Acme Software', kind: 'vendor', sectors: ['information_technology'] },
      { orgId: 'org_other', name: 'Other Vendor', kind: 'vendor', sectors: [] },
    ],
  };
  const bundle = stixBundle(records, producer, 'bundle--8f4b2a3c-7f0e-4a51-9d2c-2f3c4b5a6d7e');
  const objects = bundle.objects as unknown as StixObject[];
  const byName = (name: string) => objects.find((o) => o.name === name || o.content === name);

  it('is valid against the STIX 2.1 bundle schema, and every object against its own', () => {
    expect(bundleSchemaErrors(bundle)).toEqual([]);
    expect(errorsOfEveryObject(objects)).toEqual([]);
  });

  it('marks every object with the official marking id of its record label, and carries those definitions', () => {
    for (const v of records.vulnerabilities) {
      const object = objects.find((o) => o.type === 'vulnerability' && JSON.stringify(o.external_references).includes(v.recordId));
      expect(object?.object_marking_refs).toEqual([OFFICIAL_ID[v.tlp]]);
    }
    const definitions = objects.filter((o) => o.type === 'marking-definition').map((o) => o.id);
    expect(definitions.sort()).toEqual(Object.values(OFFICIAL_ID).sort());
    const used = new Set(objects.flatMap((o) => (o.object_marking_refs as string[] | undefined) ?? []));
    for (const ref of used) expect(definitions).toContain(ref);
  });

  it('names a vulnerability by its one CVE and references CVE, CWE and the clearinghouse record', () => {
    const clear = byName('CVE-2026-0001');
    expect(clear?.external_references).toEqual([
      { source_name: 'clearinghouse', external_id: 'clu_clear', description: 'validation state: valid' },
      { source_name: 'cve', external_id: 'CVE-2026-0001' },
      { source_name: 'ghsa', external_id: 'GHSA-abcd-efgh-ijkl' },
      { source_name: 'cwe', external_id: 'CWE-787' },
    ]);
    expect(clear?.modified).toBe('2026-06-04T11:30:00.500Z');
  });

  it('marks a relationship with the stricter of its ends, and an organisation with the most open record naming it', () => {
    const link = objects.find(
      (o) =>
        o.type === 'relationship' &&
        o.source_ref === byName('Heap overflow in clu_green')?.id &&
        o.target_ref === byName('Heap overflow in clu_red')?.id,
    );
    expect(link?.object_marking_refs).toEqual([OFFICIAL_ID.RED]);
    expect(byName('Acme Software')?.object_marking_refs).toEqual([OFFICIAL_ID.CLEAR]);
    expect(byName('Other Vendor')?.object_marking_refs).toEqual([OFFICIAL_ID.RED]);
    expect(byName('Clearinghouse Coordination Center')?.object_marking_refs).toEqual([OFFICIAL_ID.CLEAR]);
  });

  it('keeps a note only with the vulnerabilities the recipient gets', () => {
    const note = byName('Reproduced independently by two organisations.');
    expect(note?.object_refs).toEqual([byName('Heap overflow in clu_green')?.id]);
    expect(byName('about a record the recipient does not get')).toBeUndefined();
  });

  it('gives a record the same STIX id in every export', () => {
    const again = stixBundle(
      { ...records, vulnerabilities: records.vulnerabilities.slice(0, 1) },
      producer,
      'bundle--1f4b2a3c-7f0e-4a51-9d2c-2f3c4b5a6d7e',
    );
    const first = (again.objects as StixObject[]).find((o) => o.type === 'vulnerability');
    expect(first?.id).toBe(byName('CVE-2026-0001')?.id);
  });

  it('stays valid over random records (property test)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const next = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      const n = 1 + Math.floor(next() * 6);
      const vulnerabilities = Array.from({ length: n }, (_, i) =>
        vulnerability(`clu_${seed}_${i}`, pick(TLP_LABELS), {
          title: pick(['x', 'Überlauf <script>', 'a "quoted" title', '\u2028line']),
          aliases: next() < 0.5 ? [`CVE-2026-${1000 + i}`] : [],
          cwes: next() < 0.5 ? [] : ['CWE-79'],
          vendorOrgIds: next() < 0.5 ? ['org_v'] : [],
        }),
      );
      const random: SharedRecords = {
        vulnerabilities,
        notes: vulnerabilities.map((v, i) => ({ ...records.notes[0]!, recordId: `note_${seed}_${i}`, tlp: v.tlp, about: [v.recordId] })),
        links: n > 1 ? [{ ...records.links[0]!, sourceId: vulnerabilities[0]!.recordId, targetId: vulnerabilities[1]!.recordId }] : [],
        orgs: [{ orgId: 'org_v', name: 'V', kind: 'vendor', sectors: [] }],
      };
      const b = stixBundle(random, producer, 'bundle--8f4b2a3c-7f0e-4a51-9d2c-2f3c4b5a6d7e');
      expect(bundleSchemaErrors(b)).toEqual([]);
      expect(errorsOfEveryObject(b.objects as unknown as Record<string, unknown>[])).toEqual([]);
    }
  });
});

describe('name-based UUIDs', () => {
  it('match the RFC 4122 / Python uuid5 value for the DNS namespace and www.example.com', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

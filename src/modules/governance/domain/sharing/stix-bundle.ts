import { stricterTlp, tlpRank, type Tlp } from '../../../../platform/tlp.js';
import type { SharedLink, SharedNote, SharedOrg, SharedRecords, SharedVulnerability } from './shared-records.js';
import { stixId } from './stix-ids.js';
import { tlpMarkingDefinition, tlpMarkingId, tlpOfMarking, type TlpMarkingDefinition } from './tlp-markings.js';

/**
 * STIX 2.1 bundles (OASIS STIX 2.1, §3–§8): vulnerability, note, relationship and identity objects, each
 * marked with the official TLP 2.0 marking definition of its record's label, and those marking definitions
 * in the bundle. Every object is created by the clearinghouse's identity.
 */

export interface StixObject {
  readonly type: string;
  readonly spec_version: '2.1';
  readonly id: string;
  readonly [property: string]: unknown;
}

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly (StixObject | TlpMarkingDefinition)[];
}

/** The producer of every object: the clearinghouse. Its identity object is public (TLP:CLEAR). */
export interface Producer {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
}

interface ExternalReference {
  readonly source_name: string;
  readonly external_id?: string;
  readonly description?: string;
}

/** STIX timestamps carry milliseconds and `Z` (STIX 2.1 §3.2; core.json's `timestamp_millis`). */
function timestamp(iso: string): string {
  return new Date(iso).toISOString();
}

function aliasReference(alias: string): ExternalReference {
  if (/^CVE-\d{4}-\d{4,}$/i.test(alias)) return { source_name: 'cve', external_id: alias.toUpperCase() };
  const prefix = /^([A-Za-z]+)-/.exec(alias)?.[1];
  return { source_name: prefix ? prefix.toLowerCase() : 'alias', external_id: alias };
}

function vulnerabilityName(v: SharedVulnerability): string {
  const cves = v.aliases.filter((a) => /^CVE-\d{4}-\d{4,}$/i.test(a));
  return cves.length === 1 && cves[0] !== undefined ? cves[0].toUpperCase() : v.title;
}

function common(type: string, key: string, tlp: Tlp, createdBy: string, createdAt: string, modifiedAt: string) {
  return {
    type,
    spec_version: '2.1' as const,
    id: stixId(type, key),
    created_by_ref: createdBy,
    created: timestamp(createdAt),
    modified: timestamp(modifiedAt),
    object_marking_refs: [tlpMarkingId(tlp)],
  };
}

/** The STIX objects for a set of shared records (without the bundle), in a stable order. */
export function stixObjects(records: SharedRecords, producer: Producer): StixObject[] {
  const producerId = stixId('identity', producer.key);
  const byRecord = new Map(records.vulnerabilities.map((v) => [v.recordId, v]));
  const orgs = new Map<string, SharedOrg>(records.orgs.map((o) => [o.orgId, o]));
  // An organisation appears because a record names it: its identity is as open as the most open such record.
  const orgTlp = new Map<string, Tlp>();
  const orgTimes = new Map<string, { created: string; modified: string }>();
  for (const v of records.vulnerabilities) {
    for (const orgId of v.vendorOrgIds) {
      if (!orgs.has(orgId)) continue;
      const seen = orgTlp.get(orgId);
      orgTlp.set(orgId, seen === undefined || tlpRank(v.tlp) < tlpRank(seen) ? v.tlp : seen);
      const t = orgTimes.get(orgId);
      orgTimes.set(orgId, {
        created: t === undefined || v.createdAt < t.created ? v.createdAt : t.created,
        modified: t === undefined || v.modifiedAt > t.modified ? v.modifiedAt : t.modified,
      });
    }
  }

  const producerObject: StixObject = {
    ...common('identity', producer.key, 'CLEAR', producerId, producer.createdAt, producer.createdAt),
    name: producer.name,
    description: producer.description,
    identity_class: 'organization',
  };
  const identities: StixObject[] = [...orgTlp.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([orgId, tlp]) => {
      const org = orgs.get(orgId) as SharedOrg;
      const times = orgTimes.get(orgId) as { created: string; modified: string };
      return {
        ...common('identity', `org:${orgId}`, tlp, producerId, times.created, times.modified),
        name: org.name,
        identity_class: 'organization',
        roles: [org.kind],
        ...(org.sectors.length > 0 ? { sectors: [...org.sectors] } : {}),
      };
    });

  const vulnerabilities: StixObject[] = records.vulnerabilities.map((v) => {
    const references: ExternalReference[] = [
      { source_name: 'clearinghouse', external_id: v.recordId, description: `validation state: ${v.state}` },
      ...v.aliases.map(aliasReference),
      ...v.cwes.map((cwe) => ({ source_name: 'cwe', external_id: cwe.toUpperCase() })),
    ];
    return {
      ...common('vulnerability', v.recordId, v.tlp, producerId, v.createdAt, v.modifiedAt),
      name: vulnerabilityName(v),
      ...(v.description ? { description: v.description } : {}),
      external_references: references,
    };
  });

  const notes: StixObject[] = records.notes
    .filter((n) => n.about.some((id) => byRecord.has(id)))
    .map((n: SharedNote) => ({
      ...common('note', n.recordId, n.tlp, producerId, n.createdAt, n.modifiedAt),
      ...(n.abstract ? { abstract: n.abstract } : {}),
      content: n.content,
      ...(n.authors.length > 0 ? { authors: [...n.authors] } : {}),
      object_refs: n.about.filter((id) => byRecord.has(id)).map((id) => stixId('vulnerability', id)),
    }));

  const relationships: StixObject[] = [];
  for (const link of records.links as readonly SharedLink[]) {
    const source = byRecord.get(link.sourceId);
    const target = byRecord.get(link.targetId);
    if (!source || !target) continue;
    relationships.push({
      ...common(
        'relationship',
        `${link.type}:${link.sourceId}:${link.targetId}`,
        stricterTlp(source.tlp, target.tlp),
        producerId,
        link.createdAt,
        link.modifiedAt,
      ),
      relationship_type: link.type,
      ...(link.description ? { description: link.description } : {}),
      source_ref: stixId('vulnerability', link.sourceId),
      target_ref: stixId('vulnerability', link.targetId),
    });
  }
  for (const v of records.vulnerabilities) {
    for (const orgId of v.vendorOrgIds) {
      if (!orgs.has(orgId)) continue;
      relationships.push({
        ...common('relationship', `affects:${v.recordId}:${orgId}`, v.tlp, producerId, v.createdAt, v.modifiedAt),
        relationship_type: 'related-to',
        description: 'affects products of this organisation',
        source_ref: stixId('vulnerability', v.recordId),
        target_ref: stixId('identity', `org:${orgId}`),
      });
    }
  }
  return [producerObject, ...identities, ...vulnerabilities, ...notes, ...relationships];
}

/** The TLP labels the objects carry, most open first. */
export function markingsUsed(objects: readonly StixObject[]): Tlp[] {
  const labels = new Set<Tlp>();
  for (const o of objects) {
    for (const ref of (o.object_marking_refs as string[] | undefined) ?? []) {
      const tlp = tlpOfMarking(ref);
      if (tlp !== null) labels.add(tlp);
    }
  }
  return [...labels].sort((a, b) => tlpRank(a) - tlpRank(b));
}

/**
 * A STIX 2.1 bundle of the shared records: the marking definitions of the labels in use first, then the
 * objects. `bundleId` is `bundle--<uuid>`, chosen by the caller (a bundle's id is not the content's).
 */
export function stixBundle(records: SharedRecords, producer: Producer, bundleId: string): StixBundle {
  const objects = stixObjects(records, producer);
  return { type: 'bundle', id: bundleId, objects: [...markingsUsed(objects).map(tlpMarkingDefinition), ...objects] };
}

import { createHash } from 'node:crypto';

/**
 * A name-based UUID, version 5 (RFC 9562 §5.5, formerly RFC 4122 §4.3): SHA-1 of the namespace's 16
 * bytes followed by the name's UTF-8 bytes, with the version and variant bits set.
 */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new RangeError(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The clearinghouse's namespace for STIX identifiers (a random UUID, fixed once). */
export const CLEARINGHOUSE_STIX_NAMESPACE = 'bd7df11c-5c4c-4f70-98aa-026536da796d';

/**
 * The STIX identifier of a clearinghouse record as an object of `type`: the same record always gets the
 * same identifier, so a partner that receives it twice (in two exports, or from TAXII) sees one object in
 * two versions, not two objects.
 */
export function stixId(type: string, recordKey: string): string {
  return `${type}--${uuidV5(CLEARINGHOUSE_STIX_NAMESPACE, `${type}:${recordKey}`)}`;
}

import { hexOf } from '../../../platform/db/index.js';

/**
 * How an identity key is stored in `intake_cluster_key` (migration 0007): bytes, not its text. The key index
 * is written at random places (keys are hashes), so its size decides how many pages each submission's commit
 * rewrites: `fp:fp2:` and 64 hex digits were 71 bytes, and 33 as bytes; the index was the largest writer of a
 * commit at 100,000 findings (~740 of ~2,050 pages of the log per 1,000-finding submission; issue 14).
 *
 * The first byte says how the rest reads: {@link FINGERPRINT_V2} and the hash's 32 bytes; {@link ALIAS} and
 * the vulnerability id's UTF-8; {@link TEXT} and the whole key's UTF-8 (any other key: older fingerprint
 * versions, a lone finding). A key has one encoding, so equal keys are equal bytes.
 */
const TEXT = '00';
const ALIAS = '01';
const FINGERPRINT_V2 = '02';

const FINGERPRINT_V2_PREFIX = 'fp:fp2:';
const ALIAS_PREFIX = 'alias:';
const HASH_HEX = /^[0-9a-f]{64}$/;

/**
 * A key's stored bytes as hex digits (how they travel to PostgreSQL; `bytesParam` and `oneOfBytes` make them
 * bytes where the driver binds bytes): a version-2 fingerprint's are its own, behind its tag.
 */
export function clusterKeyHex(key: string): string {
  if (key.length === FINGERPRINT_V2_PREFIX.length + 64 && key.startsWith(FINGERPRINT_V2_PREFIX)) {
    const hex = key.slice(FINGERPRINT_V2_PREFIX.length);
    if (HASH_HEX.test(hex)) return FINGERPRINT_V2 + hex;
  }
  if (key.startsWith(ALIAS_PREFIX)) return ALIAS + Buffer.from(key.slice(ALIAS_PREFIX.length), 'utf8').toString('hex');
  return TEXT + Buffer.from(key, 'utf8').toString('hex');
}

/** A key's stored bytes. */
export function clusterKeyBytes(key: string): Buffer {
  return Buffer.from(clusterKeyHex(key), 'hex');
}

/** The key of stored bytes, read as bytes or as their hex digits ({@link clusterKeyHex} reversed). */
export function clusterKeyOf(stored: Uint8Array | string): string {
  const hex = hexOf(stored);
  const rest = hex.slice(2);
  switch (hex.slice(0, 2)) {
    case FINGERPRINT_V2:
      return FINGERPRINT_V2_PREFIX + rest;
    case ALIAS:
      return ALIAS_PREFIX + Buffer.from(rest, 'hex').toString('utf8');
    case TEXT:
      return Buffer.from(rest, 'hex').toString('utf8');
    default:
      throw new Error(`intake_cluster_key: a stored key of unknown form (first byte ${hex.slice(0, 2)})`);
  }
}

/** A stored blob's address and size. */
export interface BlobRef {
  readonly sha256: string;
  readonly size: number;
}

/** What a store holds, as the sweeper of leftovers sees it. */
export interface BlobEntry {
  /** A stored blob, or a temporary file a write died in the middle of. */
  readonly kind: 'blob' | 'temporary';
  /** The SHA-256 of a blob; the path below the store's root of a temporary file. */
  readonly name: string;
  readonly size: number;
  /** When it was last stored: storing bytes that exist already counts as storing them again. */
  readonly storedAt: Date;
}

/**
 * Content-addressed storage: a blob is named by the SHA-256 of its bytes, so storing the same bytes twice
 * stores them once, and a name always means the same bytes.
 */
export interface BlobStore {
  /** Stores the bytes durably (fsync'd or committed) before returning. Idempotent. */
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** The bytes, or null when no blob has this hash. Verifies the hash on read. */
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /**
   * Removes the blob; nothing happens when it is absent. Bytes are shared by every record that stored
   * them, so only a caller that knows no record refers to the hash any longer may call it (the retention
   * purge, the sweeper of unreferenced blobs).
   */
  delete(sha256: string): Promise<void>;
  /** Every blob and leftover temporary file, in no particular order. */
  entries(): AsyncIterable<BlobEntry>;
  /**
   * Removes the entry unless it was stored again at or after `storedBefore` (an upload of the same bytes
   * since it was listed); answers whether it removed it. Same caveat as {@link delete} for blobs.
   */
  remove(entry: Pick<BlobEntry, 'kind' | 'name'>, storedBefore: Date): Promise<boolean>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

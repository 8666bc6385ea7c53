import { openZip } from '../../../platform/zip.js';

/** An advisory archive's file entry (osv.dev's `all.zip` per ecosystem), inflated only when read. */
export interface ZipEntry {
  readonly name: string;
  readonly size: number;
  /** The entry's bytes, inflated and checked; throws on corruption. */
  read(): Buffer;
}

/** Largest entry inflated: an OSV record is kilobytes; this refuses zip bombs. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;

/** Lists the archive's file entries (directories left out), through the platform's one ZIP reader. */
export function readZip(buffer: Buffer): ZipEntry[] {
  // A whole ecosystem is read entry by entry and each is kept no longer than its parse: only the entry is limited.
  const archive = openZip(buffer, { maxEntryBytes: MAX_ZIP_ENTRY_BYTES, maxTotalBytes: Infinity, maxEntries: Infinity });
  return archive.entries
    .filter((e) => !e.name.endsWith('/'))
    .map((e) => ({
      name: e.name,
      size: e.uncompressedSize,
      read: () => {
        const bytes = archive.read(e.name) ?? new Uint8Array(0);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
    }));
}

import type { ProviderSettings } from './advisories.js';
import { createHash } from 'node:crypto';
import { defaultCsafKeyFile } from './signing-key.js';

/**
 * A stable stand-in for the CNA identity the CVE Program assigns (a UUID and a short name): a UUID derived from
 * the public URL and the host's first label. Records carrying it validate and are stable across restarts; a
 * coordinator admin sets the real identity in the disclosure policy (`cases policy cna`) before submitting them
 * to CVE Services.
 */
export function placeholderCna(publicUrl: string): { orgId: string; shortName: string } {
  const h = createHash('sha256').update(`clearinghouse-cna:${publicUrl}`).digest('hex');
  // Shaped as a version 4 UUID: the CVE JSON 5.1 schema's uuidType accepts no other version.
  const orgId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  const shortName =
    (new URL(publicUrl).hostname.split('.')[0] ?? 'clearinghouse').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'clearinghouse';
  return { orgId, shortName: shortName.length < 2 ? 'clearinghouse' : shortName };
}

/** The provider's settings from the server's configuration: its public URL and data directory. */
export function providerSettings(
  config: { readonly publicUrl: string; readonly dataDir: string },
  engineVersion: string,
): ProviderSettings {
  return {
    baseUrl: config.publicUrl,
    publisher: {
      name: 'Clearinghouse Coordination Center',
      namespace: config.publicUrl,
      contactDetails: `security@${new URL(config.publicUrl).hostname}`,
    },
    keyFile: defaultCsafKeyFile(config.dataDir),
    engineVersion,
    cna: placeholderCna(config.publicUrl),
  };
}

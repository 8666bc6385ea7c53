import type { ProviderSettings } from './advisories.js';
import { defaultCsafKeyFile } from './signing-key.js';

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
  };
}

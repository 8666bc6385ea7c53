import { parsePurl, versionOrderFor } from '../../inventory/index.js';
import type { SoftwareVocabulary } from '../domain/scan-target.js';

/** The version-free identity of a canonical purl: no `@version`, `?qualifiers` or `#subpath`. */
function purlIdentity(canonical: string): string {
  const bare = canonical.split('#')[0]?.split('?')[0] ?? canonical;
  const at = bare.lastIndexOf('@');
  // In canonical form an npm scope's "@" is "%40", so an "@" after the last "/" starts the version.
  return at > bare.lastIndexOf('/') ? bare.slice(0, at) : bare;
}

/** Purls and version orders as inventory reads them: one reading of packages for the whole product. */
export const softwareVocabulary: SoftwareVocabulary = Object.freeze({
  readPurl(text: string) {
    const read = parsePurl(text);
    if (!read.ok) return read;
    const { purl, type, ecosystem, version } = read.value;
    return { ok: true as const, value: { purl, type, ecosystem, version, identity: purlIdentity(purl) } };
  },
  versionOrderFor,
});

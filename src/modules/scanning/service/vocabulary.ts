import { parsePurl } from '../../../platform/software/index.js';
import { versionOrderFor } from '../../inventory/index.js';
import type { SoftwareVocabulary } from '../domain/scan-target.js';

/** Purls as the platform reads them and version orders as inventory does: one reading of packages for the whole product. */
export const softwareVocabulary: SoftwareVocabulary = Object.freeze({
  readPurl(text: string) {
    const read = parsePurl(text);
    if (!read.ok) return read;
    const { purl, type, ecosystem, version, identity } = read.value;
    return { ok: true as const, value: { purl, type, ecosystem, version, identity } };
  },
  versionOrderFor,
});

export { readCpe, productIdentity, type CpeName } from './cpe.js';
export { readRepositoryUrl, type RepositoryUrl } from './repository-url.js';
export {
  buildPackageUrl,
  canonicalPackageUrl,
  formatPackageUrl,
  formatPackageUrlAndIdentity,
  packageIdentity,
  parsePackageUrl,
  type PackageUrl,
  type PurlInput,
  type PurlResult,
} from './purl.js';
export { osvPackageOf, parsePurl, purlForPackage, purlPartsForPackage, type PurlPackage, type PurlParseResult } from './purl-osv.js';
export { distroBaseOf, distroEcosystemOf } from './os-release.js';

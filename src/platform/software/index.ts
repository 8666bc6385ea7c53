export { readCpe, productIdentity, type CpeName } from './cpe.js';
export { readRepositoryUrl, type RepositoryUrl } from './repository-url.js';

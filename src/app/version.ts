/** The package version; read in the platform so that modules (the CSAF generator's engine) name it too. */
export { VERSION } from '../platform/version.js';

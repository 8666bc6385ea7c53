/**
 * Advisories: CSAF 2.0 documents (`csaf_security_advisory` and `csaf_vex`) generated from cases, drafts at
 * TLP:AMBER or RED while embargoed and TLP:CLEAR once published, and the CSAF trusted provider that serves
 * them (metadata, per-TLP folders, index.txt, changes.csv, ROLIE feeds, hashes and OpenPGP signatures)
 * (DESIGN §3, issue 15). See README.md.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';

export { ADVISORY_PUBLISHED, type AdvisoryPublishedPayload, type PublishedProduct } from './events.js';

export type { AdvisoryDetail, AdvisoryRevision, AdvisorySummary } from './presenters.js';
export {
  ADVISORY_CATEGORIES,
  advisoryDocument,
  generateAdvisory,
  getAdvisory,
  listAdvisories,
  publishAdvisory,
  type AdvisoryQuery,
  type GenerateInput,
  type ProviderSettings,
} from './service/advisories.js';
export { advisoryCveRecords, type CveRecordExport } from './service/cve-records.js';
export { csafSigner, defaultCsafKeyFile } from './service/signing-key.js';
export { warmCsafValidator } from './service/csaf-validator-thread.js';
export { providerSettings } from './service/settings.js';
export { advisoriesRoutes } from './routes.js';
export { advisoriesConsumers, type AdvisoriesBackgroundDeps } from './consumers.js';
export { registerAdvisoryCommands } from './commands.js';
export { advisoriesBlobReferences } from './store/advisories.js';

export const advisoriesMigrations: ModuleMigrations = { module: 'advisories', migrations: [init] };

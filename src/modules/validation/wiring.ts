import { validationTransparencyFacts } from './store/transparency.js';
import { contribute, type ModuleWiring } from '../../platform/module-wiring.js';
import { SUBMISSION_GATES } from '../intake/pure.js';
import {
  checkSubmissionQuota,
  registerValidationCommands,
  validationBlobReferences,
  validationConsumers,
  validationJobs,
  validationMigrations,
  validationRetention,
  validationRoutes,
} from './index.js';
import { validationModule } from './module.js';
import { CLUSTER_PRIORITY } from './pure.js';

/** How the composition root wires validation: its daily quota gates intake's API submissions. */
export const validationWiring: ModuleWiring = {
  module: validationModule,
  migrations: validationMigrations,
  routes: validationRoutes,
  commands: (program, deps, wired) =>
    registerValidationCommands(program, { ...deps, clusterPriority: wired.contributions(CLUSTER_PRIORITY) }),
  consumers: validationConsumers,
  jobs: validationJobs,
  blobReferences: validationBlobReferences,
  retention: validationRetention,
  labelledSubjects: [{ subjectType: 'evidence', table: 'validation_evidence' }],
  contributes: [contribute(SUBMISSION_GATES, checkSubmissionQuota)],
  transparencyFacts: validationTransparencyFacts,
};

import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { SUBMISSION_PROCESSED } from '../intake/pure.js';

/** The inventory module's declaration: see ModuleDeclaration. */
export const inventoryModule = defineModule({
  name: 'inventory',
  owns: 'SBOM ingest, package URLs, version order, OSV range matching and the match index',
  dependsOn: ['identity', 'intake'],
  emits: declaredEvents(events),
  consumes: [SUBMISSION_PROCESSED, events.ADVISORY_CHANGED],
});

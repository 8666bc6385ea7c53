import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { VEX_SUBMITTED } from '../intake/pure.js';
import { DECISION_CHANGED } from '../scoring/pure.js';
import { CLUSTER_ACCEPTED } from '../validation/pure.js';

/** The cases module's declaration: see ModuleDeclaration. */
export const casesModule = defineModule({
  name: 'cases',
  owns: 'coordinated disclosure: participants, vendor statements, embargo, CVE IDs, posts and the timeline',
  dependsOn: ['identity', 'intake', 'scoring', 'validation'],
  emits: declaredEvents(events),
  consumes: [VEX_SUBMITTED, CLUSTER_ACCEPTED, DECISION_CHANGED],
});

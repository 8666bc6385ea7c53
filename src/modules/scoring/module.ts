import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { EXPOSURE_CHANGED } from '../inventory/pure.js';
import { CLUSTER_ACCEPTED, CLUSTER_VALIDATED } from '../validation/pure.js';

/** The scoring module's declaration: see ModuleDeclaration. */
export const scoringModule = defineModule({
  name: 'scoring',
  owns: 'CVSS, SSVC, KEV and EPSS feeds, exposure, priority and SLA',
  dependsOn: ['identity', 'intake', 'inventory', 'validation'],
  emits: declaredEvents(events),
  consumes: [EXPOSURE_CHANGED, CLUSTER_ACCEPTED, CLUSTER_VALIDATED, events.EPSS_UPDATED, events.KEV_CHANGED, events.POLICY_UPDATED],
});

import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { SUBMISSION_PROCESSED } from '../intake/pure.js';

/** The scanning module's declaration: see ModuleDeclaration. */
export const scanningModule = defineModule({
  name: 'scanning',
  owns: "scan campaigns, scopes, leases, conflicts and operators' scan policies",
  dependsOn: ['identity', 'intake', 'inventory'],
  emits: declaredEvents(events),
  consumes: [SUBMISSION_PROCESSED],
});

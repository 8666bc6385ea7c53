import { defineModule } from '../../platform/module-declaration.js';
import { EXPOSURE_CHANGED } from '../inventory/pure.js';

/** The notify module's declaration: see ModuleDeclaration. */
export const notifyModule = defineModule({
  name: 'notify',
  owns: 'delivery of events to the outside: signed webhooks, the inbox, acknowledgements and remediation',
  dependsOn: ['identity', 'inventory', 'scoring'],
  emits: [],
  consumes: [EXPOSURE_CHANGED],
});

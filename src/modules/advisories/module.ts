import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import { STATEMENT_CHANGED } from '../cases/pure.js';
import * as events from './events.js';

/** The advisories module's declaration: see ModuleDeclaration. */
export const advisoriesModule = defineModule({
  name: 'advisories',
  owns: 'CSAF 2.0 documents and VEX, and the CSAF provider',
  dependsOn: ['cases', 'identity', 'intake', 'inventory'],
  emits: declaredEvents(events),
  consumes: [STATEMENT_CHANGED],
});

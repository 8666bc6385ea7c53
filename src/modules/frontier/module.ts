import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';

/** The frontier module's declaration: see ModuleDeclaration. */
export const frontierModule = defineModule({
  name: 'frontier',
  owns: 'covered models, review windows, access grants, evaluations and trusted partners',
  dependsOn: ['identity'],
  emits: declaredEvents(events),
  consumes: [],
});

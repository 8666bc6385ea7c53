import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { CLUSTER_MERGED, CLUSTER_REGROUPED, CLUSTER_SPLIT, SUBMISSION_PROCESSED } from '../intake/pure.js';

/** The validation module's declaration: see ModuleDeclaration. */
export const validationModule = defineModule({
  name: 'validation',
  owns: 'the triage queue, evidence, verdicts, the independence rule and reporter reputation',
  dependsOn: ['frontier', 'identity', 'intake'],
  emits: declaredEvents(events),
  consumes: [CLUSTER_MERGED, CLUSTER_REGROUPED, CLUSTER_SPLIT, SUBMISSION_PROCESSED],
});

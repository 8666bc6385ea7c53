import { declaredEvents, defineModule } from '../../platform/module-declaration.js';
import * as events from './events.js';
import { FINDING_REPORTED } from '../frontier/pure.js';

/** The intake module's declaration: see ModuleDeclaration. */
export const intakeModule = defineModule({
  name: 'intake',
  owns: 'format parsers, normalization, fingerprints and dedup clusters',
  dependsOn: ['frontier', 'identity'],
  emits: declaredEvents(events),
  consumes: [FINDING_REPORTED],
});

import { defineModule } from '../../platform/module-declaration.js';

/** The governance module's declaration: see ModuleDeclaration. */
export const governanceModule = defineModule({
  name: 'governance',
  owns: 'retention and purge, legal holds, sharing exports and transparency metrics',
  dependsOn: ['advisories', 'identity', 'intake', 'frontier'],
  emits: [],
  consumes: [],
});

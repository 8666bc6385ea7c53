import { defineModule } from '../../platform/module-declaration.js';

/** The identity module's declaration: see ModuleDeclaration. */
export const identityModule = defineModule({
  name: 'identity',
  owns: 'orgs, users, roles, API tokens, sessions, the access policy',
  dependsOn: [],
  emits: [],
  consumes: [],
});

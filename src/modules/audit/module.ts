import { defineModule } from '../../platform/module-declaration.js';

/** The audit module's declaration: see ModuleDeclaration. */
export const auditModule = defineModule({
  name: 'audit',
  owns: 'the append-only, hash-chained audit log and its verifier',
  dependsOn: ['identity'],
  emits: [],
  consumes: [],
});

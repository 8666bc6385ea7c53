import { platformMigrations, type ModuleMigrations } from '../platform/db/index.js';
import type { HttpApp, RouteDeps } from '../platform/http/index.js';
import type { Command } from 'commander';
import type { CommandDeps } from '../platform/cli/index.js';
import { auditMigrations, auditRoutes, registerAuditCommands } from '../modules/audit/index.js';
import { identityMigrations, identityRoutes, registerIdentityCommands } from '../modules/identity/index.js';

/** Every module's migrations, in dependency order: a module's tables exist before those that refer to them. */
export const allMigrations: readonly ModuleMigrations[] = [platformMigrations, identityMigrations, auditMigrations];

export function registerAllRoutes(app: HttpApp, deps: RouteDeps): void {
  identityRoutes(app, deps);
  auditRoutes(app, deps);
}

export function registerAllCommands(program: Command, deps: CommandDeps): void {
  registerIdentityCommands(program, deps);
  registerAuditCommands(program, deps);
}

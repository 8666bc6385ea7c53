import type { Command } from 'commander';
import type { CommandDeps } from '../platform/cli/index.js';
import { platformMigrations, type ModuleMigrations } from '../platform/db/index.js';
import type { EventConsumer } from '../platform/events/index.js';
import type { HttpApp, RouteDeps } from '../platform/http/index.js';
import type { JobKindHandler, Schedule } from '../platform/jobs/index.js';
import { wire, type BackgroundDeps, type ModuleWiring, type Wired } from '../platform/module-wiring.js';
import type { BlobReferences } from '../platform/retention.js';
import { retentionRegistryOf } from '../modules/governance/wiring.js';
import { MODULE_LIST } from './module-list.js';

export type { BackgroundDeps } from '../platform/module-wiring.js';

/**
 * Every module, in the order of MODULE_NAMES (a module's tables exist before those that refer to them), as
 * each declares its own wiring beside its index.ts; the list is generated (module-list.ts).
 */
export const MODULES: readonly ModuleWiring[] = MODULE_LIST;

/** What every module is told about the others: contributions to extension points, blob references, labels. */
export const WIRED: Wired = wire(MODULES);

export const allMigrations: readonly ModuleMigrations[] = [platformMigrations, ...MODULES.map((m) => m.migrations)];

export function registerAllRoutes(app: HttpApp, deps: RouteDeps): void {
  for (const module of MODULES) module.routes?.(app, deps, WIRED);
}

export function registerAllCommands(program: Command, deps: CommandDeps): void {
  for (const module of MODULES) module.commands?.(program, deps, WIRED);
}

export function allConsumers(deps: BackgroundDeps): EventConsumer[] {
  return MODULES.flatMap((m) => m.consumers?.(deps, WIRED) ?? []);
}

export function allJobHandlers(deps: BackgroundDeps): Record<string, JobKindHandler> {
  return Object.assign({}, ...MODULES.map((m) => m.jobs?.(deps, WIRED) ?? {})) as Record<string, JobKindHandler>;
}

/** Ends what every module started in the process (see ModuleWiring.stop). */
export async function stopAllModules(): Promise<void> {
  await Promise.all(MODULES.flatMap((m) => (m.stop === undefined ? [] : [m.stop()])));
}

export const allSchedules: readonly Schedule[] = MODULES.flatMap((m) => m.schedules ?? []);

/** Every module's references to blobs: a blob none of them names is unreferenced. */
export const allBlobReferences: readonly BlobReferences[] = WIRED.blobReferences;

/** What retention reads: every module's data-class records, and every module's blob references. */
export const retentionRegistry = retentionRegistryOf(WIRED);

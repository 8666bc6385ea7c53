import type { EventType } from './events/event-type.js';

/** The names of the domain modules (DESIGN §4), in the order the composition root wires them. */
export const MODULE_NAMES = [
  'identity',
  'audit',
  'scoring',
  'intake',
  'validation',
  'inventory',
  'frontier',
  'notify',
  'scanning',
  'cases',
  'advisories',
  'governance',
] as const;

export type ModuleName = (typeof MODULE_NAMES)[number];

/**
 * What a module declares about itself, in its `module.ts` beside `index.ts` (DESIGN §4, the module
 * contract): the modules it may use, the events it emits and those it consumes. The dependency rule of
 * `.dependency-cruiser.cjs`, the module graph and the event catalogue in docs/modules.md are generated from
 * these declarations (test/module-contract.test.ts), and that test holds them equal to what the code does.
 * A module.ts loads only event constants: no database, no HTTP, no other module's internals.
 */
export interface ModuleDeclaration {
  readonly name: ModuleName;
  /** What the module owns, one sentence (the table of DESIGN §4). */
  readonly owns: string;
  /** The modules whose `index.ts` or `pure.ts` this module's product code imports; nothing else. */
  readonly dependsOn: readonly ModuleName[];
  /** The events it emits: everything its `events.ts` declares. */
  readonly emits: readonly EventType<unknown>[];
  /** The events its consumers subscribe to. */
  readonly consumes: readonly EventType<unknown>[];
}

export function defineModule(declaration: ModuleDeclaration): ModuleDeclaration {
  const unknown = declaration.dependsOn.filter((name) => !(MODULE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`module ${declaration.name} depends on unknown modules: ${unknown.join(', ')}`);
  if (declaration.dependsOn.includes(declaration.name)) throw new Error(`module ${declaration.name} depends on itself`);
  return declaration;
}

/** The event types among a module's `events.ts` exports (`import * as events`); its other exports are left. */
export function declaredEvents(exports: Readonly<Record<string, unknown>>): EventType<unknown>[] {
  return Object.values(exports).filter((value): value is EventType<unknown> => typeof value === 'string');
}

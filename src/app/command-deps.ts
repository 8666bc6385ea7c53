import type { Command } from 'commander';
import type pino from 'pino';
import type { CommandDeps } from '../platform/cli/index.js';
import type { Config } from '../platform/config.js';
import type { Runtime, RuntimeOptions } from './runtime.js';

/** What the application's own commands are given besides what every module's commands are given. */
export interface AppCommandDeps extends CommandDeps {
  config(): Config;
  log(): Promise<pino.Logger>;
  openRuntime(options?: RuntimeOptions): Promise<Runtime>;
}

/** A function that registers some top-level commands on the `clearinghouse` program. */
export type RegisterCommands = (program: Command, deps: AppCommandDeps) => void;

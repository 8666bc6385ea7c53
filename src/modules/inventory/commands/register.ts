import type { Command } from 'commander';
import type { CommandDeps } from '../../../platform/cli/index.js';
import { registerInventoryCommands } from './inventory-commands.js';
import { registerMatchCommand } from './match-command.js';

/** `inventory …` on the configured database and the offline `match`. */
export function registerAllInventoryCommands(program: Command, deps: CommandDeps): void {
  registerInventoryCommands(program, deps);
  registerMatchCommand(program, deps);
}

import type { Command } from 'commander';
import type { CommandDeps } from '../../platform/cli/index.js';
import { registerTriageCommands } from './commands/triage-commands.js';
import { registerValidateCommands } from './commands/validate-commands.js';

/** `triage list|show|verdict|reporters|quota` and `validate claim|report|release`; all remote-capable. */
export function registerValidationCommands(program: Command, deps: CommandDeps): void {
  registerTriageCommands(program, deps);
  registerValidateCommands(program, deps);
}

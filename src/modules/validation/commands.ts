import type { Command } from 'commander';
import { registerClusterCommands, type ClusterCommandDeps } from './commands/cluster-commands.js';
import { registerTriageCommands } from './commands/triage-commands.js';
import { registerValidateCommands } from './commands/validate-commands.js';

/** `triage list|show|verdict|reporters|quota`, `validate claim|report|release` and `cluster show|list`; all remote-capable. */
export function registerValidationCommands(program: Command, deps: ClusterCommandDeps): void {
  registerTriageCommands(program, deps);
  registerClusterCommands(program, deps);
  registerValidateCommands(program, deps);
}

import type { Command } from 'commander';
import type { CommandDeps } from '../../platform/cli/index.js';
import { registerDecisionCommands } from './commands/decision-commands.js';
import { registerFeedCommands } from './commands/feed-commands.js';
import { registerPriorityCommands } from './commands/priority-commands.js';
import { registerScoreCommands } from './commands/score-commands.js';

/** `score cvss|ssvc` (offline, no database), `feeds load|status|source`, `priorities` and `priority show|history`. */
export function registerScoringCommands(program: Command, deps: CommandDeps): void {
  registerScoreCommands(program, deps);
  registerFeedCommands(program, deps);
  registerPriorityCommands(program, deps);
  registerDecisionCommands(program, deps);
}

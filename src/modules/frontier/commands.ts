import type { Command } from 'commander';
import type { CommandDeps } from '../../platform/cli/index.js';
import { registerAgreementCommands } from './commands/agreement-commands.js';
import { registerModelCommands } from './commands/model-commands.js';
import { registerReviewCommands } from './commands/review-commands.js';

/**
 * `clearinghouse frontier …`: models, reviews, grants, evaluations, partners, policy and metrics. Each
 * command works on the local database as the operator, or against a server with `--url` and `--token`.
 */
export function registerFrontierCommands(program: Command, deps: CommandDeps): void {
  const frontier = program.command('frontier').description('the voluntary frontier-model early-access program');
  registerModelCommands(frontier, deps);
  registerReviewCommands(frontier, deps);
  registerAgreementCommands(frontier, deps);
}

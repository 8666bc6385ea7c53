import type { Command } from 'commander';
import { EXIT_FAILURE, emit, progress, type CommandDeps } from '../../platform/cli/index.js';
import { verifyAuditChain } from './service.js';

export function registerAuditCommands(program: Command, deps: CommandDeps): void {
  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('walk the hash chain; exit 0 when intact, 1 naming the first broken sequence number')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const runtime = await deps.openLocal();
      try {
        const bar = progress(deps.output, 'verifying', 1);
        const result = await verifyAuditChain(runtime.ctx.db, (done, total) => bar.update(done, total));
        bar.stop();
        emit(deps.output, flags.json, result, (r) =>
          r.ok
            ? `audit chain intact: ${r.count} events, head ${r.lastHash}`
            : `audit chain BROKEN at sequence ${r.broken.seq}: ${r.broken.reason}`,
        );
        if (!result.ok) deps.setExitCode(EXIT_FAILURE);
      } finally {
        await runtime.close();
      }
    });
}

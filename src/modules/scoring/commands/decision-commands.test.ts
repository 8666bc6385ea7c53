import { expect, it } from 'vitest';
import { buildServer } from '../../../app/server.js';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { Page } from '../../../platform/db/index.js';
import type { Decision, DecisionChange } from '../presenters.js';
import { prioritize } from '../service/decisions.js';

describeEachDatabase('clearinghouse priority show|history', (dialect) => {
  const get = useTestRuntime(dialect);

  it('shows a decision in words — outcome, deadline, table row, then each input and its basis — and as JSON', async () => {
    const t = get();
    await prioritize(t.system, {
      subjectId: 'clu_cli',
      cveIds: ['CVE-2026-4000'],
      validation: { validator: 'org_validator', assessedAt: '2026-06-01T00:00:00.000Z', activeExploitation: true, automatable: 'yes' },
    });
    const app = await buildServer(t.runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const remote = ['--url', url, '--token', t.coordinatorAdmin.token];
      const json = await cli({}, 'priority', 'show', 'clu_cli', ...remote, '--json');
      expect(json.code).toBe(0);
      const decision = json.json<Decision>();
      expect(decision).toMatchObject({ subjectId: 'clu_cli', cveIds: ['CVE-2026-4000'] });
      const human = await cli({}, 'priority', 'show', 'clu_cli', ...remote);
      const lines = human.stdout.split('\n');
      const level = { act: 'Act', attend: 'Attend', 'track*': 'Track*', track: 'Track' }[decision.outcome];
      expect(lines[0]).toBe(
        `clu_cli: ${level} since ${decision.outcomeSince.slice(0, 10)} — vendor fix due ${decision.vendorFixDueAt.slice(0, 10)} (${decision.explanation.vendorFix.days} days, policy ${decision.policyVersion})`,
      );
      expect(lines[1]).toMatch(/^CISA Coordinator \S+, row \d+: exploitation active, automatable yes, /);
      expect(human.stdout).toMatch(/^exploitation\s+active\s+the clearinghouse's validation by org_validator \(2026-06-01\)$/m);
      expect(human.stdout).toMatch(/^mission & well-being\s+\S+\s+policy \S+ default \(exposure unknown\)$/m);

      const history = await cli({}, 'priority', 'history', 'clu_cli', ...remote, '--json');
      expect(history.json<Page<DecisionChange>>().items.map((c) => c.revision)).toEqual([1]);
      expect((await cli({}, 'priority', 'history', 'clu_cli', ...remote)).stdout).toMatch(/^REV\s+AT\s+OUTCOME\s+REASON\s+CHANGED\n1\s/);

      const operator = await t.org('operator');
      const hidden = await cli({}, 'priority', 'show', 'clu_cli', '--url', url, '--token', operator.token);
      expect(hidden.code).toBe(1);
      expect(hidden.stderr).toMatch(/no decision for clu_cli/);
    } finally {
      await app.close();
    }
  });
});

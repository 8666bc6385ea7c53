import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { auditEvents } from '#test-support/audit.js';
import { getCluster } from '../../intake/index.js';
import { REPORT_STATES, allowedNextStates, type ReportState } from '../domain/report-states.js';
import { distinctFinding, errorOf, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';
import { listMyReports } from './track-record.js';
import { getValidationView } from './validation-view.js';
import { setVerdict } from './verdicts.js';

const INVALID = { state: 'invalid', reason: 'false_positive', note: 'the query is parameterized' };

describeEachDatabase('validation verdicts and the state machine', (dialect) => {
  const get = useTestRuntime(dialect);

  async function cast(t: TestRuntime) {
    return { lab: await t.org('model_developer'), agency: await t.org('agency') };
  }

  /** A cluster brought to `state` through the real use cases. */
  async function clusterIn(t: TestRuntime, parties: { lab: TestUser; agency: TestUser }, state: ReportState): Promise<string> {
    const [id] = await report(t, parties.lab, [distinctFinding()], { shareWith: [parties.agency.orgId] });
    const coordinator = t.as(t.coordinatorAdmin);
    const path: Record<ReportState, string[]> = {
      received: [],
      valid: ['valid'],
      invalid: ['invalid'],
      accepted: ['valid', 'accepted'],
      deferred: ['valid', 'deferred'],
      closed: ['closed'],
    };
    for (const step of path[state]) {
      if (step === 'valid') await recordAttempt(t.as(parties.agency), id!, reproduced());
      else await setVerdict(coordinator, id!, step === 'invalid' ? INVALID : { state: step });
    }
    return id!;
  }

  it('opens a received triage entry when intake processes a submission', async () => {
    const t = get();
    const parties = await cast(t);
    const id = await clusterIn(t, parties, 'received');
    const view = await getValidationView(t.as(t.coordinatorAdmin), id);
    expect(view).toMatchObject({
      state: 'received',
      allowedNext: ['valid', 'invalid', 'closed'],
      verdict: null,
      quorum: { needed: 1, confirmations: 0 },
    });
    expect((await getCluster(t.system, id)).state).toBe('received');
  });

  it('walks every legal transition, keeping intake’s state, the audit trail and the outbox in step', async () => {
    const t = get();
    const parties = await cast(t);
    const walks: ReportState[][] = [['invalid', 'closed'], ['valid', 'accepted', 'closed'], ['valid', 'deferred', 'closed'], ['closed']];
    const coordinator = t.as(t.coordinatorAdmin);
    for (const walk of walks) {
      const id = await clusterIn(t, parties, 'received');
      for (const to of walk) {
        if (to === 'valid') await recordAttempt(t.as(parties.agency), id, reproduced());
        else await setVerdict(coordinator, id, to === 'invalid' ? INVALID : { state: to });
        expect((await getCluster(t.system, id)).state).toBe(to);
      }
      const events = (await eventsAbout(t.runtime.db.kysely, id)).filter((e) => e.type.startsWith('validation.'));
      const names = { valid: 'validated', invalid: 'invalidated', accepted: 'accepted', deferred: 'deferred', closed: 'closed' } as Record<
        string,
        string
      >;
      expect(events.map((e) => e.type)).toEqual(walk.map((s) => `validation.cluster.${names[s]}.v2`));
      const history = (await getValidationView(coordinator, id)).history.map((h) => `${h.from}>${h.to}`);
      expect(history).toEqual(walk.map((to, i) => `${i === 0 ? 'received' : walk[i - 1]}>${to}`));
    }
    const audit = await auditEvents(t.system, { action: 'validation.cluster.invalidate', limit: 10 });
    expect(audit.items).toHaveLength(1);
  });

  it('refuses every illegal transition with 409, naming the current state and the allowed next ones', async () => {
    const t = get();
    const parties = await cast(t);
    const coordinator = t.as(t.coordinatorAdmin);
    let refused = 0;
    for (const from of REPORT_STATES) {
      const id = await clusterIn(t, parties, from);
      for (const to of REPORT_STATES.filter((s) => s !== 'received' && !allowedNextStates(from).includes(s))) {
        const error = await errorOf(setVerdict(coordinator, id, to === 'invalid' ? INVALID : { state: to }));
        expect(error.code, `${from} → ${to}`).toBe('illegal-transition');
        const allowed = allowedNextStates(from);
        expect(error.message).toContain(`is ${from} and cannot become ${to}`);
        expect(error.message).toContain(allowed.length === 0 ? 'no further transition is allowed' : `it may move to ${allowed.join(', ')}`);
        refused += 1;
      }
      // Nobody moves a cluster back to received.
      expect((await errorOf(setVerdict(coordinator, id, { state: 'received' }))).code).toBe('invalid-input');
      expect((await getValidationView(coordinator, id)).state).toBe(from);
    }
    expect(refused).toBe(6 * 5 - 9); // six states × five targets, less the nine legal moves
  });

  it('does not let a coordinator declare valid without a quorum of independent confirmations', async () => {
    const t = get();
    const parties = await cast(t);
    const id = await clusterIn(t, parties, 'received');
    const error = await errorOf(setVerdict(t.as(t.coordinatorAdmin), id, { state: 'valid' }));
    expect(error.code).toBe('quorum-not-met');
    expect(error.message).toBe(`cluster ${id} needs 1 independent confirmation(s) (no CVSS vector reported) and has 0`);
  });

  it('tells the reporter why its report is invalid, and keeps who decided to the coordinators', async () => {
    const t = get();
    const parties = await cast(t);
    const id = await clusterIn(t, parties, 'invalid');
    const seen = await getValidationView(t.as(parties.lab), id);
    expect(seen.verdict).toMatchObject({
      verdict: 'invalid',
      reason: 'false_positive',
      reasonLabel: 'False positive',
      note: 'the query is parameterized',
    });
    expect(seen.history[0]).toMatchObject({ from: 'received', to: 'invalid', actor: null });
    expect((await getValidationView(t.as(t.coordinatorAdmin), id)).history[0]?.actor).toBe(t.coordinatorAdmin.userId);
    const mine = await listMyReports(t.as(parties.lab), {});
    expect(mine.items).toEqual([
      expect.objectContaining({
        clusterId: id,
        state: 'invalid',
        reports: 1,
        verdict: expect.objectContaining({ reasonLabel: 'False positive' }),
      }),
    ]);
    expect((await listMyReports(t.as(parties.agency), {})).items).toEqual([]);
  });

  it('answers 403 to parties who may see the cluster but not decide it, 404 to those who may not see it', async () => {
    const t = get();
    const parties = await cast(t);
    const stranger = await t.org('vendor');
    const viewer = await t.user(t.coordinatorAdmin.orgId, 'viewer');
    const id = await clusterIn(t, parties, 'received');
    expect((await errorOf(setVerdict(t.as(parties.lab), id, INVALID))).name).toBe('NotAllowedError');
    expect((await errorOf(setVerdict(t.as(viewer), id, INVALID))).name).toBe('NotAllowedError');
    expect((await errorOf(setVerdict(t.as(stranger), id, INVALID))).name).toBe('NotFoundError');
    expect((await errorOf(getValidationView(t.as(stranger), id))).name).toBe('NotFoundError');
  });

  it('marks a duplicate only against another existing cluster', async () => {
    const t = get();
    const parties = await cast(t);
    const [a, b] = await report(t, parties.lab, [distinctFinding(), distinctFinding()]);
    const coordinator = t.as(t.coordinatorAdmin);
    expect(
      (await errorOf(setVerdict(coordinator, a!, { state: 'invalid', reason: 'duplicate', note: 'same bug', duplicateOf: a }))).code,
    ).toBe('invalid-input');
    expect(
      (await errorOf(setVerdict(coordinator, a!, { state: 'invalid', reason: 'duplicate', note: 'same bug', duplicateOf: 'clu_nothing' })))
        .code,
    ).toBe('invalid-input');
    const view = await setVerdict(coordinator, a!, { state: 'invalid', reason: 'duplicate', note: 'same bug', duplicateOf: b });
    expect(view.verdict).toMatchObject({ reason: 'duplicate', duplicateOf: b });
  });
});

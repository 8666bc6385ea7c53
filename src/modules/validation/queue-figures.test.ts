import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import { HOUR } from '../../platform/clock.js';
import { submitDocument } from '../intake/index.js';
import { distinctFinding, findingsDocument, report, reproduced } from './test-support/scene.js';

const figuresUrl = '/api/v1/validation/queue/figures?from=2026-06-01&to=2026-06-05';

describeEachDatabase('queue volume and time to validate', (dialect) => {
  const get = useTestServer(dialect);

  it('counts by UTC day what entered, left and waited, and the median hours to a verdict; a viewer counts only what it may see', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const coordinator = t.coordinatorAdmin;
    const viewer = await t.user(coordinator.orgId, 'viewer');
    // 2 June 12:00: three clusters A, B, C (TLP:AMBER, shared with the agency).
    const [a, b, c] = await report(t, lab, [distinctFinding(), distinctFinding(), distinctFinding()], { shareWith: [agency.orgId] });
    // 2 June 18:00: C found invalid, 6 hours after its report.
    t.clock.advance(6 * HOUR);
    expect(
      (
        await t.call(coordinator, 'POST', `/api/v1/validation/clusters/${c}/verdict`, {
          state: 'invalid',
          reason: 'false_positive',
          note: 'unreachable',
        })
      ).status,
    ).toBe(200);
    // 3 June 18:00: A reproduced (valid at quorum), 30 hours after its report; D reported, at TLP:RED for one agency user.
    t.clock.advance(24 * HOUR);
    expect((await t.call(agency, 'POST', `/api/v1/validation/clusters/${a}/attempts`, reproduced())).status).toBe(201);
    await submitDocument(t.as(lab), { bytes: findingsDocument([distinctFinding()]), tlp: 'RED', recipients: { userIds: [agency.userId] } });
    await t.runtime.jobs.drain();
    // 4 June 20:00: B closed without a verdict: it leaves the queue, validated by nobody.
    t.clock.advance(26 * HOUR);
    expect(
      (await t.call(coordinator, 'POST', `/api/v1/validation/clusters/${b}/verdict`, { state: 'closed', note: 'out of scope' })).status,
    ).toBe(200);

    const answer = await t.call(coordinator, 'GET', figuresUrl);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      from: '2026-06-01',
      to: '2026-06-05',
      days: [
        { day: '2026-06-01', entered: 0, left: 0, waiting: 0, validated: 0, medianHoursToValidate: null },
        { day: '2026-06-02', entered: 3, left: 1, waiting: 2, validated: 1, medianHoursToValidate: 6 },
        { day: '2026-06-03', entered: 1, left: 1, waiting: 2, validated: 1, medianHoursToValidate: 30 },
        { day: '2026-06-04', entered: 0, left: 1, waiting: 1, validated: 0, medianHoursToValidate: null },
        { day: '2026-06-05', entered: 0, left: 0, waiting: 1, validated: 0, medianHoursToValidate: null },
      ],
    });

    // The coordinator's viewer reads by the labels: A, B and C (AMBER: the coordinator is a recipient), not D (RED, not named).
    const seen = await t.call(viewer, 'GET', figuresUrl);
    expect(seen.status).toBe(200);
    expect(
      (seen.body as { days: { entered: number; waiting: number; left: number; validated: number }[] }).days.map((d) => [
        d.entered,
        d.left,
        d.waiting,
        d.validated,
      ]),
    ).toEqual([
      [0, 0, 0, 0],
      [3, 1, 2, 1],
      [0, 1, 1, 1],
      [0, 1, 0, 0],
      [0, 0, 0, 0],
    ]);

    // Figures are the coordinators': the lab and the agency are refused.
    expect((await t.call(lab, 'GET', figuresUrl)).status).toBe(403);
    expect((await t.call(agency, 'GET', figuresUrl)).status).toBe(403);
    // A narrower range, given by its ends.
    const one = await t.call(coordinator, 'GET', '/api/v1/validation/queue/figures?from=2026-06-03&to=2026-06-03');
    expect((one.body as { days: unknown[] }).days).toEqual([
      { day: '2026-06-03', entered: 1, left: 1, waiting: 2, validated: 1, medianHoursToValidate: 30 },
    ]);
  });

  it('refuses a range that is not one: bad dates, ends before it starts, longer than 92 days', async () => {
    const t = get();
    const bad = await t.call(t.coordinatorAdmin, 'GET', '/api/v1/validation/queue/figures?from=June');
    expect(bad.status).toBe(400);
    expect(bad.problem.errors?.[0]?.pointer).toBe('/querystring/from');
    const backwards = await t.call(t.coordinatorAdmin, 'GET', '/api/v1/validation/queue/figures?from=2026-06-05&to=2026-06-01');
    expect(backwards.status).toBe(400);
    expect(backwards.problem.errors?.[0]?.pointer).toBe('/to');
    const long = await t.call(t.coordinatorAdmin, 'GET', '/api/v1/validation/queue/figures?from=2026-01-01&to=2026-06-01');
    expect(long.status).toBe(400);
    expect(long.problem.errors?.[0]?.pointer).toBe('/from');
    // Without a range: the 30 days ending today (2 June).
    const recent = await t.call(t.coordinatorAdmin, 'GET', '/api/v1/validation/queue/figures');
    expect(recent.body).toMatchObject({ from: '2026-05-04', to: '2026-06-02' });
    expect((recent.body as { days: unknown[] }).days).toHaveLength(30);
  });
});

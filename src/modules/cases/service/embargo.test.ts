import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { EMBARGO_REMINDER } from '../events.js';
import { caseWithVendors } from '../test-support/scene.js';
import { getCase } from './cases.js';
import { moveEmbargo, sweepEmbargoes } from './embargo.js';
import { refusal } from '../test-support/refusal.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDatabase('case embargoes', (dialect) => {
  const get = useTestRuntime(dialect);

  it('take the earliest proposal, in the zone it was proposed in, and refuse times a DST change skips', async () => {
    const t = get();
    const { vendors, opened } = await caseWithVendors(t, 2);
    const [acme, other] = vendors as [(typeof vendors)[0], (typeof vendors)[0]];
    // In force since the first vendor: 45 days from 2026-06-02T12:00Z.
    expect((await getCase(t.as(acme), opened.id)).embargo).toMatchObject({ state: 'active', endsAt: '2026-07-17T12:00:00.000Z' });
    const later = await moveEmbargo(t.as(acme), opened.id, { action: 'propose', endsAt: '2026-07-10T17:00', timeZone: 'America/New_York' });
    expect(later.state).toBe('revise');
    expect(later.proposals.at(-1)).toMatchObject({ endsAt: '2026-07-10T21:00:00.000Z', timeZone: 'America/New_York', byOrgId: acme.orgId });
    await moveEmbargo(t.as(other), opened.id, { action: 'propose', endsAt: '2026-07-09T09:00:00+02:00', timeZone: 'Europe/Berlin' });
    // Who proposed stays with the coordinator and the proposer.
    expect((await getCase(t.as(other), opened.id)).embargo.proposals.map((p) => p.byOrgId)).toEqual([null, null, other.orgId]);
    expect(await refusal(moveEmbargo(t.as(acme), opened.id, { action: 'accept' }))).toBeInstanceOf(NotAllowedError);
    const accepted = await moveEmbargo(t.as(t.coordinatorAdmin), opened.id, { action: 'accept' });
    expect(accepted).toMatchObject({ state: 'active', endsAt: '2026-07-09T07:00:00.000Z', timeZone: 'Europe/Berlin' });
    expect(accepted.endsAtLocal).toContain('09:00');

    const skipped = (await refusal(
      moveEmbargo(t.as(acme), opened.id, { action: 'propose', endsAt: '2027-03-14T02:30', timeZone: 'America/New_York' }),
    )) as InputError;
    expect(skipped).toBeInstanceOf(InputError);
    expect(skipped.issues[0]?.pointer).toBe('/endsAt');
    const badAction = (await refusal(moveEmbargo(t.as(acme), opened.id, { action: 'extend' }))) as InputError;
    expect(badAction.issues.map((i) => i.pointer)).toEqual(['/action']);

    // A reported leak ends it at once; nothing moves it afterwards.
    const leaked = await moveEmbargo(t.as(other), opened.id, { action: 'leak', note: 'posted on a forum' });
    expect(leaked).toMatchObject({ state: 'exited', exitReason: 'leak' });
    expect(await refusal(moveEmbargo(t.as(acme), opened.id, { action: 'propose', endsAt: '2026-07-01T00:00:00Z' }))).toBeInstanceOf(
      ConflictError,
    );
    expect((await getCase(t.as(acme), opened.id)).disclosedAt).not.toBeNull();
  });

  it('remind 7 and 1 day before and end at the deadline, as the clock moves', async () => {
    const t = get();
    const { opened } = await caseWithVendors(t, 1, { exploited: true });
    // Actively exploited: 7 days from the first vendor contact.
    expect((await getCase(t.as(t.coordinatorAdmin), opened.id)).embargo.endsAt).toBe('2026-06-09T12:00:00.000Z');
    // Seven days out when set: the 7-day reminder is due at once, and only once.
    expect(await sweepEmbargoes(t.system)).toEqual({ expired: 0, reminded: 1 });
    expect(await sweepEmbargoes(t.system)).toEqual({ expired: 0, reminded: 0 });
    t.clock.advance(6 * DAY + 60_000);
    expect(await sweepEmbargoes(t.system)).toEqual({ expired: 0, reminded: 1 });
    expect(await sweepEmbargoes(t.system)).toEqual({ expired: 0, reminded: 0 });
    t.clock.advance(DAY);
    expect(await sweepEmbargoes(t.system)).toEqual({ expired: 1, reminded: 0 });
    const reminders = (await eventsAbout(t.runtime.db.kysely, opened.id)).filter((e) => e.type === EMBARGO_REMINDER);
    expect(reminders.map((e) => (e.payload as { daysBefore: number }).daysBefore)).toEqual([7, 1]);
    expect((await getCase(t.as(t.coordinatorAdmin), opened.id)).embargo).toMatchObject({ state: 'exited', exitReason: 'deadline' });
  });
});

import { describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock } from '../../../platform/clock.js';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { DEFAULT_DISCLOSURE_POLICY, defaultEmbargoEnd } from './disclosure-policy.js';
import { readEmbargoEnd } from './embargo-end.js';
import {
  NO_EMBARGO,
  applyEmbargoAction,
  dueReminders,
  expireEmbargo,
  markRemindersSent,
  type Embargo,
  type EmbargoActor,
  type EmbargoAction,
} from './embargo.js';

const policy = DEFAULT_DISCLOSURE_POLICY;
const vendorA: EmbargoActor = { kind: 'participant', orgId: 'org_A', userId: 'usr_A' };
const vendorB: EmbargoActor = { kind: 'participant', orgId: 'org_B', userId: 'usr_B' };
const coordinator: EmbargoActor = { kind: 'participant', orgId: 'org_C', userId: 'usr_C' };

let ids = 0;
function propose(embargo: Embargo, by: EmbargoActor, end: { endsAt: string; timeZone?: string }, now: Date): Embargo {
  const { endsAt, timeZone } = readEmbargoEnd(end);
  return applyEmbargoAction(embargo, { type: 'propose', proposalId: `emp_${++ids}`, endsAt, timeZone }, by, now, policy).embargo;
}
const act = (embargo: Embargo, action: EmbargoAction, by: EmbargoActor, now: Date) => applyEmbargoAction(embargo, action, by, now, policy);

describe('embargo state machine (none → proposed → active ⇄ revise → exited)', () => {
  it('lets the earliest instant win, whatever the zones it was proposed in', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    // 17:00 in New York on 20 July is 21:00Z; 22:30 in Berlin that day is 20:30Z — later on the clock face, earlier in fact.
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-20T17:00', timeZone: 'America/New_York' }, clock.now());
    expect(e.state).toBe('proposed');
    clock.advance(HOUR);
    e = propose(e, vendorB, { endsAt: '2026-07-20T22:30', timeZone: 'Europe/Berlin' }, clock.now());
    expect(e.state).toBe('proposed');
    const accepted = act(e, { type: 'accept' }, coordinator, clock.now());
    expect(accepted.embargo.state).toBe('active');
    expect(accepted.embargo.endsAt).toBe('2026-07-20T20:30:00.000Z');
    expect(accepted.step).toMatchObject({
      from: 'proposed',
      to: 'active',
      endsAtLocal: '2026-07-20T22:30:00+02:00',
      timeZone: 'Europe/Berlin',
    });
    expect(accepted.embargo.proposals.map((p) => p.status)).toEqual(['superseded', 'accepted']);
  });

  it('takes the first of two proposals for the same instant', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-20T21:00:00Z' }, now);
    e = propose(e, vendorB, { endsAt: '2026-07-20T17:00', timeZone: 'America/New_York' }, now);
    const { embargo } = act(e, { type: 'accept' }, coordinator, now);
    expect(embargo.proposals.find((p) => p.status === 'accepted')?.by).toEqual(vendorA);
    expect(embargo.timeZone).toBe('UTC');
  });

  it('revises an embargo in force: the earliest revision wins when accepted, a rejection keeps the end', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-01T00:00:00Z' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    clock.advance(5 * DAY);
    e = propose(e, vendorB, { endsAt: '2026-07-25T00:00:00Z' }, clock.now());
    expect(e.state).toBe('revise');
    expect(e.endsAt).toBe('2026-07-01T00:00:00.000Z');
    e = propose(e, vendorA, { endsAt: '2026-07-15T00:00:00Z' }, clock.now());
    const revised = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    expect(revised.state).toBe('active');
    expect(revised.endsAt).toBe('2026-07-15T00:00:00.000Z');

    const again = propose(revised, vendorB, { endsAt: '2026-08-01T00:00:00Z' }, clock.now());
    const rejected = act(again, { type: 'reject', note: 'no' }, coordinator, clock.now()).embargo;
    expect(rejected.state).toBe('active');
    expect(rejected.endsAt).toBe('2026-07-15T00:00:00.000Z');
    expect(rejected.proposals.at(-1)?.status).toBe('rejected');
  });

  it('rejecting the proposals of a case without an embargo returns it to none', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-01T00:00:00Z' }, now);
    expect(act(e, { type: 'reject' }, coordinator, now).embargo.state).toBe('none');
  });

  it('ends when the clock passes the deadline, not a moment before', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-06-20T12:00:00Z' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    clock.set('2026-06-20T11:59:59.999Z');
    expect(expireEmbargo(e, clock.now()).step).toBeNull();
    clock.advance(1);
    const { embargo, step } = expireEmbargo(e, clock.now());
    expect(embargo).toMatchObject({ state: 'exited', exitReason: 'deadline', exitedAt: '2026-06-20T12:00:00.000Z' });
    expect(step).toMatchObject({ action: 'expire', from: 'active', to: 'exited', by: { kind: 'system' } });
  });

  it('exits at once on a reported leak, from any state, and then refuses everything', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const fromNone = act(NO_EMBARGO, { type: 'exit', reason: 'leak' }, vendorA, now).embargo;
    expect(fromNone).toMatchObject({ state: 'exited', exitReason: 'leak' });
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-01T00:00:00Z' }, now);
    e = act(e, { type: 'accept' }, coordinator, now).embargo;
    e = propose(e, vendorB, { endsAt: '2026-07-05T00:00:00Z' }, now);
    const leaked = act(e, { type: 'exit', reason: 'leak', note: 'posted on a forum' }, vendorB, now);
    expect(leaked.embargo).toMatchObject({ state: 'exited', exitReason: 'leak' });
    expect(leaked.step).toMatchObject({ from: 'revise', to: 'exited', note: 'posted on a forum' });
    expect(leaked.embargo.proposals.every((p) => p.status !== 'pending')).toBe(true);
    for (const action of [{ type: 'accept' }, { type: 'exit', reason: 'leak' }] as const) {
      expect(() => act(leaked.embargo, action, coordinator, now)).toThrow(ConflictError);
    }
    expect(() => act(NO_EMBARGO, { type: 'exit', reason: 'published' }, coordinator, now)).toThrow(/only a leak may be reported/);
    expect(() => act(NO_EMBARGO, { type: 'accept' }, coordinator, now)).toThrow(/is none and cannot take "accept": it accepts propose/);
  });

  it('refuses ends in the past and beyond the policy maximum', () => {
    const now = new Date('2026-06-10T12:00:00Z');
    const at = (endsAt: string) => () => propose(NO_EMBARGO, vendorA, { endsAt }, now);
    expect(at('2026-06-10T12:00:00Z')).toThrow(InputError);
    expect(at('2026-09-08T12:00:00Z')).not.toThrow();
    expect(at('2026-09-08T12:00:01Z')).toThrow(/at most 90 days/);
  });
});

describe('default deadlines from the disclosure policy', () => {
  const contact = new Date('2026-06-10T12:00:00Z');
  const byPolicy = (rule: 'first-vendor-contact' | 'actively-exploited'): EmbargoActor => ({ kind: 'policy', rule });
  const applyDefault = (e: Embargo, exploited: boolean, now: Date) =>
    act(
      e,
      {
        type: 'apply-default',
        proposalId: `emp_${++ids}`,
        endsAt: defaultEmbargoEnd(now, exploited, policy),
        timeZone: 'UTC',
        rule: exploited ? 'actively-exploited' : 'first-vendor-contact',
      },
      byPolicy(exploited ? 'actively-exploited' : 'first-vendor-contact'),
      now,
    );

  it('puts a 45-day embargo in force at first vendor contact, 7 days when actively exploited', () => {
    expect(applyDefault(NO_EMBARGO, false, contact).embargo).toMatchObject({ state: 'active', endsAt: '2026-07-25T12:00:00.000Z' });
    expect(applyDefault(NO_EMBARGO, true, contact).embargo).toMatchObject({ state: 'active', endsAt: '2026-06-17T12:00:00.000Z' });
  });

  it('competes with what was proposed before the contact: the earliest wins', () => {
    const earlier = propose(NO_EMBARGO, coordinator, { endsAt: '2026-07-01T00:00:00Z' }, contact);
    expect(applyDefault(earlier, false, contact).embargo).toMatchObject({ state: 'active', endsAt: '2026-07-01T00:00:00.000Z' });
    const later = propose(NO_EMBARGO, vendorA, { endsAt: '2026-08-30T00:00:00Z' }, contact);
    const { embargo } = applyDefault(later, false, contact);
    expect(embargo).toMatchObject({ state: 'active', endsAt: '2026-07-25T12:00:00.000Z' });
    expect(embargo.proposals.map((p) => p.status)).toEqual(['superseded', 'accepted']);
  });

  it('shortens an embargo in force when exploitation starts, and leaves an earlier end alone', () => {
    const clock = new ManualClock(contact);
    let e = applyDefault(NO_EMBARGO, false, clock.now()).embargo;
    clock.advance(10 * DAY);
    const shortened = applyDefault(e, true, clock.now());
    expect(shortened.embargo.endsAt).toBe('2026-06-27T12:00:00.000Z');
    expect(shortened.step).toMatchObject({ action: 'apply-default', from: 'active', to: 'active' });
    e = shortened.embargo;
    clock.advance(3 * DAY);
    expect(applyDefault(e, true, clock.now())).toEqual({ embargo: e, step: null });
  });
});

describe('reminders 7 days and 1 day before the end', () => {
  it('falls due at each moment once, on a moving clock', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-20T17:00', timeZone: 'America/New_York' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    clock.set('2026-07-13T20:59:59Z');
    expect(dueReminders(e, clock.now(), policy)).toEqual([]);
    clock.set('2026-07-13T21:00:00Z');
    const seven = dueReminders(e, clock.now(), policy);
    expect(seven).toEqual([
      { daysBefore: 7, dueAt: '2026-07-13T21:00:00.000Z', endsAt: '2026-07-20T21:00:00.000Z', endsAtLocal: '2026-07-20T17:00:00-04:00' },
    ]);
    e = markRemindersSent(e, seven, policy);
    clock.set('2026-07-19T20:00:00Z');
    expect(dueReminders(e, clock.now(), policy)).toEqual([]);
    clock.set('2026-07-19T21:00:00Z');
    const one = dueReminders(e, clock.now(), policy);
    expect(one.map((r) => r.daysBefore)).toEqual([1]);
    e = markRemindersSent(e, one, policy);
    expect(dueReminders(e, clock.now(), policy)).toEqual([]);
  });

  it('never sends a reminder whose moment passed before the end was set, nor two at once', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-06-13T12:00:00Z' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    clock.set('2026-06-12T12:00:00Z');
    expect(dueReminders(e, clock.now(), policy).map((r) => r.daysBefore)).toEqual([1]);

    // A clock that jumps past both moments sends the nearest only and counts the other as passed.
    let late = propose(NO_EMBARGO, vendorA, { endsAt: '2026-07-20T12:00:00Z' }, new Date('2026-06-10T12:00:00Z'));
    late = act(late, { type: 'accept' }, coordinator, new Date('2026-06-10T12:00:00Z')).embargo;
    const due = dueReminders(late, new Date('2026-07-19T13:00:00Z'), policy);
    expect(due.map((r) => r.daysBefore)).toEqual([1]);
    expect(markRemindersSent(late, due, policy).remindersSent).toEqual([7, 1]);
  });

  it('starts again for a revised end', () => {
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    let e = propose(NO_EMBARGO, vendorA, { endsAt: '2026-06-20T12:00:00Z' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    clock.set('2026-06-13T12:00:00Z');
    e = markRemindersSent(e, dueReminders(e, clock.now(), policy), policy);
    expect(e.remindersSent).toEqual([7]);
    e = propose(e, vendorB, { endsAt: '2026-07-01T12:00:00Z' }, clock.now());
    e = act(e, { type: 'accept' }, coordinator, clock.now()).embargo;
    expect(e.remindersSent).toEqual([]);
    clock.set('2026-06-24T12:00:00Z');
    expect(dueReminders(e, clock.now(), policy).map((r) => r.daysBefore)).toEqual([7]);
  });
});

describe('reading a proposed end', () => {
  it('checks an offset against the zone named with it', () => {
    expect(readEmbargoEnd({ endsAt: '2026-07-20T17:00:00-04:00', timeZone: 'America/New_York' }).endsAt.toISOString()).toBe(
      '2026-07-20T21:00:00.000Z',
    );
    expect(() => readEmbargoEnd({ endsAt: '2026-07-20T17:00:00-05:00', timeZone: 'America/New_York' })).toThrow(
      /America\/New_York is at -04:00 then/,
    );
    expect(readEmbargoEnd({ endsAt: '2026-01-20T17:00:00Z', timeZone: 'Europe/London' }).timeZone).toBe('Europe/London');
  });

  it('needs a zone for a local time and refuses one a daylight-saving change skips or repeats', () => {
    expect(() => readEmbargoEnd({ endsAt: '2026-07-20T17:00' })).toThrow(InputError);
    expect(() => readEmbargoEnd({ endsAt: '2026-03-08T02:30', timeZone: 'America/New_York' })).toThrow(
      /does not exist in America\/New_York/,
    );
    expect(() => readEmbargoEnd({ endsAt: '2026-11-01T01:30', timeZone: 'America/New_York' })).toThrow(
      /happens twice .* 2026-11-01T01:30:00-04:00 or 2026-11-01T01:30:00-05:00/,
    );
    expect(() => readEmbargoEnd({ endsAt: '2026-07-20T17:00', timeZone: 'Moon/Base' })).toThrow(/IANA time zone/);
    expect(() => readEmbargoEnd({ endsAt: 'next week', timeZone: 'UTC' })).toThrow(InputError);
  });
});

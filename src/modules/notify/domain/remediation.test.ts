import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { DAY, HOUR } from '../../../platform/clock.js';
import { checkRemediationReport, isAcknowledged, reminderDue, viewRemediation, VEX_JUSTIFICATIONS } from './remediation.js';

const now = new Date('2026-06-02T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('remediation reports', () => {
  it('accepts each status with exactly the detail it needs', () => {
    expect(checkRemediationReport({ status: 'acknowledged' }, now)).toEqual({
      ok: true,
      report: { status: 'acknowledged', mitigation: null, justification: null, expiresAt: null, note: null },
    });
    expect(checkRemediationReport({ status: 'patched', note: '  upgraded to 4.2.2 ' }, now)).toMatchObject({
      ok: true,
      report: { note: 'upgraded to 4.2.2' },
    });
    expect(checkRemediationReport({ status: 'mitigated', mitigation: 'WAF rule blocks the path' }, now)).toMatchObject({
      ok: true,
      report: { mitigation: 'WAF rule blocks the path' },
    });
    expect(checkRemediationReport({ status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }, now)).toMatchObject({
      ok: true,
    });
    expect(checkRemediationReport({ status: 'risk_accepted', expiresAt: '2026-09-01' }, now)).toMatchObject({
      ok: true,
      report: { expiresAt: '2026-09-01T00:00:00.000Z' },
    });
  });

  it.each([
    [{}, '/status', /must be one of received, acknowledged/],
    [{ status: 'fixed' }, '/status', /must be one of/],
    [{ status: 'mitigated' }, '/mitigation', /required when the status is mitigated/],
    [{ status: 'mitigated', mitigation: '   ' }, '/mitigation', /non-empty/],
    [{ status: 'not_affected' }, '/justification', /required/],
    [{ status: 'not_affected', justification: 'not_vulnerable' }, '/justification', /must be one of component_not_present/],
    [{ status: 'risk_accepted' }, '/expiresAt', /required/],
    [{ status: 'risk_accepted', expiresAt: '2026-06-01' }, '/expiresAt', /in the future/],
    [{ status: 'risk_accepted', expiresAt: '2028-01-01' }, '/expiresAt', /at most 365 days/],
    [{ status: 'risk_accepted', expiresAt: 'next week' }, '/expiresAt', /ISO 8601/],
    [{ status: 'patched', mitigation: 'x' }, '/mitigation', /only for the status mitigated/],
    [{ status: 'patched', justification: 'component_not_present' }, '/justification', /only for the status not_affected/],
    [{ status: 'acknowledged', expiresAt: later(DAY) }, '/expiresAt', /only for the status risk_accepted/],
    [{ status: 'patched', note: 'x'.repeat(2001) }, '/note', /at most 2000/],
  ])('refuses %j, naming %s', (input, pointer, detail) => {
    const result = checkRemediationReport(input, now, '/body');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.pointer)).toContain(`/body${pointer}`);
    expect(result.issues.find((i) => i.pointer === `/body${pointer}`)?.detail).toMatch(detail);
  });
});

describe('remediation items over time', () => {
  const due = later(7 * DAY);

  it('is open until patched, mitigated, not affected or accepted, and overdue past its due date', () => {
    expect(viewRemediation({ status: 'notified', expiresAt: null, dueAt: due }, now)).toEqual({
      status: 'notified',
      open: true,
      overdue: false,
    });
    const after = new Date(now.getTime() + 8 * DAY);
    expect(viewRemediation({ status: 'acknowledged', expiresAt: null, dueAt: due }, after)).toEqual({
      status: 'acknowledged',
      open: true,
      overdue: true,
    });
    for (const status of ['patched', 'mitigated', 'not_affected'] as const) {
      expect(viewRemediation({ status, expiresAt: null, dueAt: due }, after)).toEqual({ status, open: false, overdue: false });
    }
    expect(viewRemediation({ status: 'acknowledged', expiresAt: null, dueAt: null }, after).overdue).toBe(false);
  });

  it('reopens an accepted risk when the acceptance expires', () => {
    const item = { status: 'risk_accepted' as const, expiresAt: later(30 * DAY), dueAt: due };
    expect(viewRemediation(item, new Date(now.getTime() + 29 * DAY))).toEqual({ status: 'risk_accepted', open: false, overdue: false });
    expect(viewRemediation(item, new Date(now.getTime() + 30 * DAY))).toEqual({ status: 'reopened', open: true, overdue: true });
  });

  it('counts as acknowledged from acknowledged on', () => {
    expect(['notified', 'received', 'acknowledged', 'patched'].map((s) => isAcknowledged(s as never))).toEqual([false, false, true, true]);
  });

  it('reminds at the due date, then every three days while open', () => {
    const item = { status: 'acknowledged' as const, expiresAt: null, dueAt: due, lastReminderAt: null };
    expect(reminderDue(item, new Date(now.getTime() + 6 * DAY))).toBe(false);
    expect(reminderDue(item, new Date(now.getTime() + 7 * DAY + HOUR))).toBe(true);
    const reminded = { ...item, lastReminderAt: later(7 * DAY + HOUR) };
    expect(reminderDue(reminded, new Date(now.getTime() + 9 * DAY))).toBe(false);
    expect(reminderDue(reminded, new Date(now.getTime() + 10 * DAY + HOUR))).toBe(true);
    expect(reminderDue({ ...reminded, status: 'patched' }, new Date(now.getTime() + 20 * DAY))).toBe(false);
  });
});

describeWithData('VEX justifications', 'csaf/csaf_2.0/json_schema/csaf_json_schema.json', () => {
  it('are the flag labels of the CSAF 2.0 schema', () => {
    const schema = JSON.parse(readFileSync(sharedData('csaf/csaf_2.0/json_schema/csaf_json_schema.json'), 'utf8')) as {
      properties: { vulnerabilities: { items: { properties: { flags: { items: { properties: { label: { enum: string[] } } } } } } } };
    };
    const labels = schema.properties.vulnerabilities.items.properties.flags.items.properties.label.enum;
    expect([...VEX_JUSTIFICATIONS].sort()).toEqual([...labels].sort());
  });
});

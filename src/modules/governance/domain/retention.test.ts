import { describe, expect, it } from 'vitest';
import { DATA_CLASS_KEYS, type AnchorEvent, type DataClass } from './data-classes.js';
import type { LegalHold } from './legal-holds.js';
import { expiryOf, removalDecision, retentionDecision, type RetentionSubject } from './retention-decision.js';
import { checkRetentionTable, DEFAULT_RETENTION_TABLE, type RetentionTable } from './retention-table.js';

const T0 = '2026-07-01T00:00:00.000Z';

function subject(
  dataClass: DataClass,
  anchors: Partial<Record<AnchorEvent, string>>,
  extra: Partial<RetentionSubject> = {},
): RetentionSubject {
  return {
    recordId: `rec_${dataClass}`,
    dataClass,
    anchors,
    holdKeys: { records: [`rec_${dataClass}`, 'clu_1'], cases: ['case_1'], orgs: ['org_owner'] },
    ...extra,
  };
}

const ms = (iso: string) => new Date(iso);
const before = (iso: string) => new Date(Date.parse(iso) - 1);

// Expected instants computed by hand (Python's datetime + timedelta), not by the code under test.
const DEFAULT_EXPIRY: { dataClass: DataClass; event: AnchorEvent; expiresAt: string | null }[] = [
  { dataClass: 'raw_submission', event: 'created', expiresAt: '2028-06-30T00:00:00.000Z' },
  { dataClass: 'raw_submission', event: 'invalidated', expiresAt: '2026-09-29T00:00:00.000Z' },
  { dataClass: 'raw_submission', event: 'case_published', expiresAt: '2027-07-01T00:00:00.000Z' },
  { dataClass: 'poc_evidence', event: 'case_published', expiresAt: '2026-09-29T00:00:00.000Z' },
  { dataClass: 'poc_evidence', event: 'invalidated', expiresAt: '2026-07-31T00:00:00.000Z' },
  { dataClass: 'poc_evidence', event: 'created', expiresAt: null },
  { dataClass: 'finding', event: 'invalidated', expiresAt: '2026-12-28T00:00:00.000Z' },
  { dataClass: 'finding', event: 'case_published', expiresAt: '2028-06-30T00:00:00.000Z' },
  { dataClass: 'cluster', event: 'invalidated', expiresAt: '2027-07-01T00:00:00.000Z' },
  { dataClass: 'cluster', event: 'case_closed', expiresAt: '2031-06-30T00:00:00.000Z' },
  { dataClass: 'case', event: 'case_closed', expiresAt: '2031-06-30T00:00:00.000Z' },
  { dataClass: 'case', event: 'case_published', expiresAt: null },
  { dataClass: 'advisory', event: 'published', expiresAt: null },
  { dataClass: 'sbom', event: 'superseded', expiresAt: '2026-09-29T00:00:00.000Z' },
  { dataClass: 'sbom', event: 'created', expiresAt: null },
  { dataClass: 'model_review_material', event: 'review_closed', expiresAt: '2027-07-01T00:00:00.000Z' },
  { dataClass: 'access_log', event: 'created', expiresAt: '2029-06-30T00:00:00.000Z' },
  { dataClass: 'audit_event', event: 'created', expiresAt: null },
];

describe('retention by the clock', () => {
  it('covers every data class in the default table, and the default table holds its own rules', () => {
    expect(Object.keys(DEFAULT_RETENTION_TABLE.rules).sort()).toEqual([...DATA_CLASS_KEYS].sort());
    expect(checkRetentionTable(DEFAULT_RETENTION_TABLE)).toEqual([]);
    expect(new Set(DEFAULT_EXPIRY.map((e) => e.dataClass))).toEqual(new Set(DATA_CLASS_KEYS));
  });

  it.each(DEFAULT_EXPIRY)('$dataClass after $event expires at $expiresAt, exactly', ({ dataClass, event, expiresAt }) => {
    const rule = DEFAULT_RETENTION_TABLE.rules[dataClass];
    const s = subject(dataClass, { [event]: T0 });
    expect(expiryOf(rule, s).expiresAt).toBe(expiresAt);
    if (expiresAt === null) {
      expect(['kept', 'retained']).toContain(retentionDecision(rule, s, [], ms('2200-01-01T00:00:00.000Z')).outcome);
      return;
    }
    expect(retentionDecision(rule, s, [], before(expiresAt)).outcome).toBe('retained');
    const due = retentionDecision(rule, s, [], ms(expiresAt));
    expect(due.outcome).toBe('purge');
    expect(due).toMatchObject({ expiresAt });
  });

  it('takes the earliest clause whose event happened', () => {
    const rule = DEFAULT_RETENTION_TABLE.rules.poc_evidence;
    // invalidated on 1 July (+30 → 31 July) and, oddly, a case published on 1 June (+90 → 30 August).
    const s = subject('poc_evidence', { invalidated: T0, case_published: '2026-06-01T00:00:00.000Z' });
    expect(expiryOf(rule, s).expiresAt).toBe('2026-07-31T00:00:00.000Z');
  });

  it('an agreement limit can bring expiry forward, never push it back', () => {
    const rule = DEFAULT_RETENTION_TABLE.rules.model_review_material;
    const shorter = subject(
      'model_review_material',
      { review_closed: T0 },
      {
        limits: [{ clause: { after: 'review_closed', days: 30 }, source: 'agreement agr_1 version 2' }],
      },
    );
    expect(expiryOf(rule, shorter)).toMatchObject({ expiresAt: '2026-07-31T00:00:00.000Z' });
    expect(expiryOf(rule, shorter).because).toContain('agreement agr_1 version 2');
    const longer = subject(
      'model_review_material',
      { review_closed: T0 },
      {
        limits: [{ clause: { after: 'review_closed', days: 3000 }, source: 'agreement agr_1 version 3' }],
      },
    );
    expect(expiryOf(rule, longer).expiresAt).toBe('2027-07-01T00:00:00.000Z');
  });

  it('says what it waits for while no clause applies', () => {
    const decision = retentionDecision(
      DEFAULT_RETENTION_TABLE.rules.poc_evidence,
      subject('poc_evidence', { created: T0 }),
      [],
      ms('2030-01-01T00:00:00Z'),
    );
    expect(decision).toMatchObject({ outcome: 'retained', expiresAt: null });
    expect(decision.reason).toContain('the case covering the record was published');
  });
});

describe('legal holds', () => {
  const rule = DEFAULT_RETENTION_TABLE.rules.poc_evidence;
  const expired = subject('poc_evidence', { invalidated: T0 });
  const later = ms('2027-01-01T00:00:00.000Z');
  const hold = (scope: LegalHold['scope'], targetId: string, extra: Partial<LegalHold> = {}): LegalHold => ({
    id: `hold_${scope}`,
    scope,
    targetId,
    reason: 'litigation',
    placedAt: '2026-08-01T00:00:00.000Z',
    releasedAt: null,
    ...extra,
  });

  it.each([
    ['record', 'rec_poc_evidence'],
    ['record', 'clu_1'],
    ['case', 'case_1'],
    ['org', 'org_owner'],
  ] as const)('a hold on the %s %s stops the purge', (scope, target) => {
    const decision = retentionDecision(rule, expired, [hold(scope, target)], later);
    expect(decision).toMatchObject({ outcome: 'held', holdIds: [`hold_${scope}`] });
  });

  it('a hold on something else, a released hold, or one placed later does not', () => {
    const holds = [
      hold('record', 'rec_other'),
      hold('case', 'case_2'),
      hold('org', 'org_other'),
      { ...hold('org', 'org_owner'), id: 'hold_released', releasedAt: '2026-12-01T00:00:00.000Z' },
      { ...hold('case', 'case_1'), id: 'hold_future', placedAt: '2027-06-01T00:00:00.000Z' },
    ];
    expect(retentionDecision(rule, expired, holds, later).outcome).toBe('purge');
  });

  it('an organisation that leaves takes its data, except held, kept and published records', () => {
    const now = later;
    expect(removalDecision(rule, subject('poc_evidence', { created: T0 }), [], now)).toEqual({ outcome: 'remove' });
    expect(removalDecision(rule, subject('poc_evidence', { created: T0 }), [hold('org', 'org_owner')], now)).toMatchObject({
      outcome: 'keep',
    });
    const auditRule = DEFAULT_RETENTION_TABLE.rules.audit_event;
    expect(removalDecision(auditRule, subject('audit_event', { created: T0 }), [], now).outcome).toBe('keep');
    const caseRule = DEFAULT_RETENTION_TABLE.rules.case;
    expect(removalDecision(caseRule, subject('case', { created: T0, case_published: T0 }), [], now)).toMatchObject({
      outcome: 'keep',
      reason: 'part of the published record',
    });
    expect(removalDecision(caseRule, subject('case', { created: T0 }), [], now).outcome).toBe('remove');
  });
});

describe('the retention table', () => {
  it('refuses a clause that counts from an event the class never sees, twice-named events and bad durations', () => {
    const table: RetentionTable = {
      rules: {
        ...DEFAULT_RETENTION_TABLE.rules,
        sbom: { expire: [{ after: 'case_published', days: 10 }] },
        finding: {
          expire: [
            { after: 'invalidated', days: 1 },
            { after: 'invalidated', days: 2 },
          ],
        },
        access_log: { expire: [{ after: 'created', days: -1 }] },
      },
    };
    const pointers = checkRetentionTable(table).map((i) => i.pointer);
    expect(pointers).toEqual(['/rules/finding/expire/1/after', '/rules/sbom/expire/0/after', '/rules/access_log/expire/0/days']);
  });

  it('needs a rule for every class and knows no other', () => {
    const { audit_event: _dropped, ...rest } = DEFAULT_RETENTION_TABLE.rules;
    const table = { rules: { ...rest, chat_logs: { keep: true, reason: 'x' } } } as unknown as RetentionTable;
    expect(checkRetentionTable(table).map((i) => i.pointer)).toEqual(['/rules/audit_event', '/rules/chat_logs']);
  });
});

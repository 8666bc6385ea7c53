import { describe, expect, it } from 'vitest';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { scoreCandidate, type CandidateFacts } from './partner-scoring.js';
import { DEFAULT_POLICY } from './policy.js';
import { addSignOff, sideOf } from './sign-off.js';

const operator: CandidateFacts = {
  orgKind: 'operator',
  sectors: ['energy', 'commercial_facilities'],
  isDeveloper: false,
  vettingCompleted: true,
  conflictOfInterestDeclared: false,
  incidentResponseCapacity: 'dedicated',
  disclosureTrackRecord: null,
  grantHistory: { total: 0, revokedForCause: 0 },
};
const criteria = DEFAULT_POLICY.partnerCriteria;

describe('partner scoring', () => {
  it('explains every requirement and factor, leaving unknown factors out of the weighting', () => {
    const score = scoreCandidate(criteria, 3, operator);
    expect(score).toMatchObject({ policyVersion: 3, eligible: true, meetsMinimum: true });
    // (0.3 × 1 + 0.25 × 2/3) / (0.3 + 0.25) = 84.8 of 100
    expect(score.score).toBe(84.8);
    expect(score.factors.map((f) => [f.key, f.value])).toEqual([
      ['sector_criticality', 1],
      ['incident_response_capacity', 0.667],
      ['disclosure_track_record', null],
      ['prior_grant_compliance', null],
    ]);
    expect(score.factors[0]?.explanation).toContain('energy');
    expect(score.factors[2]?.explanation).toContain('no disclosure record');
  });

  it('fails the hard requirements of a lab, an unvetted org or a declared conflict, saying which', () => {
    const lab = scoreCandidate(criteria, 1, { ...operator, orgKind: 'model_developer', sectors: [] });
    expect(lab.eligible).toBe(false);
    expect(lab.requirements.filter((r) => !r.met).map((r) => r.key)).toEqual(['critical_infrastructure_sector', 'no_conflict_of_interest']);
    expect(
      scoreCandidate(criteria, 1, { ...operator, vettingCompleted: false }).requirements.find((r) => r.key === 'vetting_completed')?.met,
    ).toBe(false);
    expect(
      scoreCandidate(criteria, 1, { ...operator, isDeveloper: true }).requirements.find((r) => r.key === 'no_conflict_of_interest')
        ?.explanation,
    ).toContain('own developer');
  });

  it('counts revocations for cause against the compliance record', () => {
    const score = scoreCandidate(criteria, 1, { ...operator, grantHistory: { total: 4, revokedForCause: 1 } });
    expect(score.factors.find((f) => f.key === 'prior_grant_compliance')?.value).toBe(0.75);
  });
});

describe('dual sign-off', () => {
  const good = scoreCandidate(criteria, 1, operator);

  it('selects only with the developer and a government approver, two different organisations', () => {
    expect(sideOf({ id: 'lab', kind: 'model_developer' }, 'lab')).toBe('developer');
    expect(sideOf({ id: 'cisa', kind: 'agency' }, 'lab')).toBe('government');
    expect(sideOf({ id: 'coord', kind: 'coordinator' }, 'lab')).toBe('government');
    expect(sideOf({ id: 'other-lab', kind: 'model_developer' }, 'lab')).toBeNull();
    expect(addSignOff([], { orgId: 'lab', side: 'developer' }, good)).toEqual({ selected: false });
    expect(addSignOff([{ orgId: 'lab', side: 'developer' }], { orgId: 'cisa', side: 'government' }, good)).toEqual({ selected: true });
  });

  it('refuses the same organisation twice, and a second approver for a side', () => {
    expect(() => addSignOff([{ orgId: 'lab', side: 'developer' }], { orgId: 'lab', side: 'developer' }, good)).toThrow(ConflictError);
    const error = (() => {
      try {
        addSignOff([{ orgId: 'cisa', side: 'government' }], { orgId: 'nsa', side: 'government' }, good);
      } catch (e) {
        return e as ConflictError;
      }
      return null;
    })();
    expect(error?.code).toBe('side-signed-already');
  });

  it('refuses a candidate short of the policy with a 422 naming the policy version', () => {
    const short = scoreCandidate(criteria, 7, { ...operator, vettingCompleted: false });
    expect(() => addSignOff([], { orgId: 'lab', side: 'developer' }, short)).toThrow(/policy version 7/);
    const low = scoreCandidate({ ...criteria, minimumScore: 90 }, 8, operator);
    try {
      addSignOff([], { orgId: 'lab', side: 'developer' }, low);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).code).toBe('unprocessable');
      expect((e as InputError).message).toContain('minimum of 90');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../platform/errors.js';
import {
  agreementCovers,
  checkAgreementTerms,
  effectiveWindow,
  normalizeTerms,
  planEnd,
  planProposal,
  planSignature,
  versionInForce,
  type AgreementState,
  type AgreementTerms,
  type VersionState,
} from './testing-agreement.js';

const terms: AgreementTerms = {
  scope: { allModels: false, families: ['Atlas'], models: ['Orion-2'] },
  window: { defaultDays: 21, maxDays: 30 },
  releaseNoticeDays: 14,
  confidentiality: 'Review material stays within the named agencies.',
  useTerms: 'Access is used only to assess cyber risk.',
  retention: { keep: ['evaluation_logs'], days: 90 },
  grantees: ['agency', 'trusted_partner'],
  grantTerms: [],
  contacts: [
    { side: 'developer', name: 'Dana Dev', email: 'dana@lab.example', role: 'policy lead' },
    { side: 'government', name: 'Gil Gov', email: 'gil@agency.example', role: 'program officer' },
  ],
};
const policy = { version: 3, windowMaxDays: 30 };

const v = (version: number, status: VersionState['status'], dev: string | null = null, gov: string | null = null): VersionState => ({
  version,
  status,
  developerSignedAt: dev,
  governmentSignedAt: gov,
});

function conflict(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConflictError) return error.code;
    throw error;
  }
  throw new Error('expected a conflict');
}

describe('agreement terms', () => {
  it('hold when the window stays within the policy and both sides have a contact', () => {
    expect(checkAgreementTerms(terms, policy)).toEqual([]);
  });

  it('never allow a maximum above the policy maximum, or a default above the maximum', () => {
    const issues = checkAgreementTerms({ ...terms, window: { defaultDays: 40, maxDays: 31 } }, policy);
    expect(issues).toEqual([
      { pointer: '/terms/window/maxDays', detail: 'must be at most 30 days, the maximum of frontier policy version 3' },
      { pointer: '/terms/window/defaultDays', detail: "must be at most the agreement's maximum of 31 days" },
    ]);
  });

  it('need a scope and a contact on each side', () => {
    const issues = checkAgreementTerms(
      { ...terms, scope: { allModels: false, families: [], models: [] }, contacts: [terms.contacts[0]!] },
      policy,
    );
    expect(issues.map((i) => i.detail)).toEqual([
      'must cover all models, or name at least one family or model',
      'must name at least one government contact',
    ]);
  });

  it('grant the order’s six protections when no grant terms are named', () => {
    expect(normalizeTerms(terms).grantTerms).toEqual([
      'confidentiality',
      'cybersecurity',
      'insider_risk',
      'intellectual_property',
      'use_restrictions',
      'nondisclosure',
    ]);
    expect(normalizeTerms({ ...terms, grantTerms: ['confidentiality'] }).grantTerms).toEqual(['confidentiality']);
  });

  it('cover named models and families, case-insensitively', () => {
    expect(agreementCovers(terms.scope, { name: 'orion-2' })).toBe(true);
    expect(agreementCovers(terms.scope, { name: 'Atlas Ultra' })).toBe(true);
    expect(agreementCovers(terms.scope, { name: 'Orion-3' })).toBe(false);
    expect(agreementCovers({ allModels: true, families: [], models: [] }, { name: 'anything' })).toBe(true);
  });

  it('give a review the agreement default and the lower maximum; a later, lower policy maximum wins', () => {
    expect(effectiveWindow(terms, policy)).toEqual({ defaultDays: 21, maxDays: 30, source: 'frontier policy version 3' });
    expect(effectiveWindow({ ...terms, window: { defaultDays: 10, maxDays: 14 } }, policy)).toEqual({
      defaultDays: 10,
      maxDays: 14,
      source: 'the voluntary testing agreement',
    });
    expect(effectiveWindow(terms, { version: 4, windowMaxDays: 15 })).toEqual({
      defaultDays: 15,
      maxDays: 15,
      source: 'frontier policy version 4',
    });
    expect(effectiveWindow(null, policy)).toEqual({ defaultDays: null, maxDays: 30, source: 'frontier policy version 3' });
  });
});

describe('agreement versions', () => {
  const T = '2026-06-02T12:00:00.000Z';

  it('a version is in force only once both sides signed it', () => {
    const proposed: AgreementState = { endedAt: null, versions: [v(1, 'proposed')] };
    expect(planSignature(proposed, 1, 'developer')).toEqual({ inForce: false, supersedes: null });
    const half: AgreementState = { endedAt: null, versions: [v(1, 'proposed', T)] };
    expect(versionInForce(half)).toBeNull();
    expect(planSignature(half, 1, 'government')).toEqual({ inForce: true, supersedes: null });
  });

  it('each side signs once; a second signature by the same side is refused', () => {
    expect(conflict(() => planSignature({ endedAt: null, versions: [v(1, 'proposed', T)] }, 1, 'developer'))).toBe('signed-already');
  });

  it('a new version needs both signatures again, and the old one stays in force until then', () => {
    const state: AgreementState = { endedAt: null, versions: [v(1, 'in_force', T, T)] };
    expect(planProposal(state)).toEqual({ version: 2, withdraws: [] });
    const withTwo: AgreementState = { endedAt: null, versions: [v(1, 'in_force', T, T), v(2, 'proposed', null, T)] };
    expect(versionInForce(withTwo)).toBe(1);
    expect(planSignature(withTwo, 2, 'developer')).toEqual({ inForce: true, supersedes: 1 });
  });

  it('only the latest proposal can be signed: a newer proposal withdraws an unfinished one', () => {
    const state: AgreementState = { endedAt: null, versions: [v(1, 'in_force', T, T), v(2, 'proposed', T)] };
    expect(planProposal(state)).toEqual({ version: 3, withdraws: [2] });
    expect(
      conflict(() => planSignature({ endedAt: null, versions: [v(1, 'in_force', T, T), v(2, 'withdrawn', T)] }, 2, 'government')),
    ).toBe('version-not-proposed');
    expect(conflict(() => planSignature(state, 1, 'government'))).toBe('version-not-proposed');
    expect(conflict(() => planSignature(state, 9, 'government'))).toBe('no-such-version');
  });

  it('either side may end it once; an ended agreement has no version in force and takes no more proposals or signatures', () => {
    const ended: AgreementState = { endedAt: T, versions: [v(1, 'in_force', T, T), v(2, 'proposed', T)] };
    expect(versionInForce(ended)).toBeNull();
    expect(conflict(() => planProposal(ended))).toBe('agreement-ended');
    expect(conflict(() => planSignature(ended, 2, 'government'))).toBe('agreement-ended');
    expect(conflict(() => planEnd(ended))).toBe('agreement-ended');
    expect(() => planEnd({ endedAt: null, versions: [] })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { developersOf, independenceConflicts, independentConfirmers, namesModel, requiredQuorum } from './independence.js';

const registry = [
  { name: 'Atlas', version: '3.0', developerOrgId: 'org_lab' },
  { name: 'Borealis', version: '1', developerOrgId: 'org_other_lab' },
];

describe('the independence rule', () => {
  it('refuses a validator from a reporting organisation', () => {
    const reports = [{ reporterOrgId: 'org_agency', reporterOrgKind: 'agency', model: null }];
    expect(independenceConflicts('org_agency', reports, registry)).toEqual([
      { rule: 'same-org', detail: 'your organisation reported this vulnerability' },
    ]);
    expect(independenceConflicts('org_other', reports, registry)).toEqual([]);
  });

  it('refuses the developer of the model that found it, whoever reported it', () => {
    const reports = [{ reporterOrgId: 'org_agency', reporterOrgKind: 'agency', model: 'Atlas 3.0' }];
    expect(independenceConflicts('org_lab', reports, registry)).toEqual([
      { rule: 'own-model', detail: 'your organisation developed the model that found it (Atlas 3.0)' },
    ]);
    expect(independenceConflicts('org_other_lab', reports, registry)).toEqual([]);
  });

  it('matches a model by name, with or without a version, case and spacing aside', () => {
    expect(namesModel('atlas  3.0', registry[0]!)).toBe(true);
    expect(namesModel('Atlas', registry[0]!)).toBe(true);
    expect(namesModel('Atlas 3.1-preview', registry[0]!)).toBe(true);
    expect(namesModel('Atlassian scanner', registry[0]!)).toBe(false);
  });

  it('takes a reporting model developer naming a model as that model’s developer', () => {
    expect(developersOf({ reporterOrgId: 'org_new_lab', reporterOrgKind: 'model_developer', model: 'Unregistered 1' }, registry)).toEqual([
      'org_new_lab',
    ]);
    expect(developersOf({ reporterOrgId: 'org_agency', reporterOrgKind: 'agency', model: 'Unregistered 1' }, registry)).toEqual([]);
    expect(developersOf({ reporterOrgId: 'org_agency', reporterOrgKind: 'agency', model: null }, registry)).toEqual([]);
  });

  it('counts each independent confirming organisation once, and drops one that has since reported', () => {
    const attempts = [
      { validatorOrgId: 'org_a', confirms: true, conflicts: [] },
      { validatorOrgId: 'org_a', confirms: true, conflicts: [] },
      { validatorOrgId: 'org_b', confirms: false, conflicts: [] },
      { validatorOrgId: 'org_c', confirms: true, conflicts: [] },
      { validatorOrgId: 'org_d', confirms: true, conflicts: [{ rule: 'own-model' as const, detail: 'x' }] },
    ];
    expect(independentConfirmers(attempts, new Set(['org_lab']))).toEqual(['org_a', 'org_c']);
    expect(independentConfirmers(attempts, new Set(['org_c']))).toEqual(['org_a']);
  });

  it('needs two confirmations from CVSS base 9.0, one below', () => {
    const policy = { default: 1, critical: 2, criticalCvss: 9.0 };
    expect(requiredQuorum(policy, 9.0)).toEqual({ needed: 2, because: 'CVSS base 9.0 ≥ 9.0' });
    expect(requiredQuorum(policy, 8.9)).toEqual({ needed: 1, because: 'CVSS base 8.9 < 9.0' });
    expect(requiredQuorum(policy, null)).toEqual({ needed: 1, because: 'no CVSS vector reported' });
  });
});

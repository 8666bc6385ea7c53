import { describe, expect, it } from 'vitest';
import { decisionPoint, decisionValueOf, defineDecisionTable, evaluateDecisionTable } from './decision-table.js';
import { CISA_COORDINATOR_TABLE, type CisaCoordinatorInputs } from './ssvc-cisa-coordinator.js';
import { EXPLOITATION, HUMAN_IMPACT } from './ssvc-decision-points.js';
import { DEPLOYER_TABLE, HUMAN_IMPACT_TABLE } from './ssvc-deployer.js';
import { MISSION_WELLBEING_TABLE } from './ssvc-mission-wellbeing.js';
import { evaluateSupplier } from './ssvc-supplier.js';
import { issuesOf } from '#test-support/rejection.js';

const COLOUR = decisionPoint('test', 'C', '1.0.0', 'Colour', [
  ['red', 'R', 'Red'],
  ['blue', 'B', 'Blue'],
]);
const SIZE = decisionPoint('test', 'S', '1.0.0', 'Size', [
  ['small', 'S', 'Small'],
  ['large', 'L', 'Large'],
]);
const points = { colour: COLOUR, size: SIZE };
const spec = { namespace: 'test', key: 'DT', version: '1.0.0', name: 'Test', source: 'here', points, outcome: SIZE };

describe('defineDecisionTable', () => {
  it('refuses rows that do not cover every combination exactly once', () => {
    const three = [
      ['red', 'small', 'small'],
      ['red', 'large', 'large'],
      ['blue', 'small', 'small'],
    ];
    expect(() => defineDecisionTable({ ...spec, rows: three })).toThrow('has 3 rows for 4 combinations');
    expect(() => defineDecisionTable({ ...spec, rows: [...three, ['red', 'small', 'large']] })).toThrow('row 3: repeats the inputs');
  });

  it('refuses a value that is not its decision point’s, and a short row', () => {
    expect(() => defineDecisionTable({ ...spec, rows: [['green', 'small', 'small']] })).toThrow(
      "row 0: 'green' is not a value of test:C:1.0.0",
    );
    expect(() => defineDecisionTable({ ...spec, rows: [['red', 'small', 'huge']] })).toThrow("'huge' is not a value of test:S:1.0.0");
    expect(() => defineDecisionTable({ ...spec, rows: [['red', 'small']] })).toThrow('has 2 cells, wants 3');
  });
});

describe('evaluateDecisionTable', () => {
  const table = defineDecisionTable<{ colour: string; size: string }, string>({
    ...spec,
    rows: [
      ['red', 'small', 'small'],
      ['red', 'large', 'large'],
      ['blue', 'small', 'large'],
      ['blue', 'large', 'small'],
    ],
  });

  it('returns the outcome, the row and the table', () => {
    const result = evaluateDecisionTable(table, { colour: 'blue', size: 'small' });
    expect(result).toEqual({
      outcome: 'large',
      row: { index: 2, inputs: { colour: 'blue', size: 'small' }, outcome: 'large' },
      table: { id: 'test:DT:1.0.0', name: 'Test', version: '1.0.0' },
    });
  });

  it('rejects unknown values naming each field under the pointer', () => {
    expect(issuesOf(() => evaluateDecisionTable(table, { colour: 'green', size: 'tiny' }, '/ssvc'))).toEqual([
      { pointer: '/ssvc/colour', detail: 'must be one of red, blue (Colour)' },
      { pointer: '/ssvc/size', detail: 'must be one of small, large (Size)' },
    ]);
  });
});

describe('decisionValueOf', () => {
  it('accepts our identifier, SSVC’s name in any case, or SSVC’s key', () => {
    expect(['poc', 'Public PoC', 'public poc', 'P', ' active '].map((t) => decisionValueOf(EXPLOITATION, t))).toEqual([
      'poc',
      'poc',
      'poc',
      'poc',
      'active',
    ]);
    expect(decisionValueOf(HUMAN_IMPACT, 'Very High')).toBe('very_high');
    expect(decisionValueOf(EXPLOITATION, 'exploited')).toBeUndefined();
  });
});

describe('the encoded SSVC trees', () => {
  const cisa = (exploitation: string, automatable: string, technicalImpact: string, missionWellbeing: string) =>
    evaluateDecisionTable(CISA_COORDINATOR_TABLE, { exploitation, automatable, technicalImpact, missionWellbeing } as CisaCoordinatorInputs)
      .outcome;

  it("CISA coordinator: the guide's corner cases", () => {
    // CISA SSVC guide (Nov 2022): nothing known and low impact is Track; active, automatable, total, high is Act.
    expect(cisa('none', 'no', 'partial', 'low')).toBe('track');
    expect(cisa('active', 'yes', 'total', 'high')).toBe('act');
    expect(cisa('none', 'no', 'total', 'high')).toBe('track*');
    expect(cisa('poc', 'yes', 'total', 'high')).toBe('attend');
  });

  it('CISA coordinator: rejects an unknown input value', () => {
    expect(() => cisa('exploited', 'no', 'partial', 'low')).toThrow(/exploitation: must be one of none, poc, active/);
  });

  it('deployer and human impact', () => {
    expect(
      evaluateDecisionTable(DEPLOYER_TABLE, {
        exploitation: 'active',
        systemExposure: 'open',
        automatable: 'yes',
        humanImpact: 'very_high',
      }).outcome,
    ).toBe('immediate');
    expect(
      evaluateDecisionTable(DEPLOYER_TABLE, { exploitation: 'none', systemExposure: 'small', automatable: 'no', humanImpact: 'low' })
        .outcome,
    ).toBe('defer');
    expect(evaluateDecisionTable(HUMAN_IMPACT_TABLE, { safetyImpact: 'catastrophic', missionImpact: 'degraded' }).outcome).toBe(
      'very_high',
    );
  });

  it('supplier: derives Utility and Public Safety Impact and returns each row used', () => {
    const decision = evaluateSupplier({
      exploitation: 'poc',
      automatable: 'yes',
      valueDensity: 'concentrated',
      technicalImpact: 'partial',
      safetyImpact: 'negligible',
    });
    expect(decision.derived.utility.outcome).toBe('super_effective');
    expect(decision.derived.publicSafetyImpact.outcome).toBe('minimal');
    expect(decision.row.inputs).toEqual({
      exploitation: 'poc',
      utility: 'super_effective',
      technicalImpact: 'partial',
      publicSafetyImpact: 'minimal',
    });
    expect(decision.outcome).toBe('out_of_cycle');
    expect(decision.table.id).toBe('ssvc:DT_SP:1.0.0');
  });

  it('mission & well-being: the grid cell the MWI definitions leave open is Medium', () => {
    expect(evaluateDecisionTable(MISSION_WELLBEING_TABLE, { missionPrevalence: 'minimal', publicWellbeing: 'material' }).outcome).toBe(
      'medium',
    );
  });
});

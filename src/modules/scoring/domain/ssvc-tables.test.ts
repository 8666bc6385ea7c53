import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import type { DecisionInputs, DecisionPoint, DecisionTable } from './decision-table.js';
import { CISA_COORDINATOR_TABLE } from './ssvc-cisa-coordinator.js';
import { MISSION_PREVALENCE, MISSION_WELLBEING, PUBLIC_WELLBEING } from './ssvc-decision-points.js';
import { DEPLOYER_TABLE, HUMAN_IMPACT_TABLE } from './ssvc-deployer.js';
import { MISSION_WELLBEING_TABLE } from './ssvc-mission-wellbeing.js';
import { PUBLIC_SAFETY_IMPACT_TABLE, SUPPLIER_TABLE, UTILITY_TABLE } from './ssvc-supplier.js';
import { csvRecords } from './test-support/csv-records.js';

/**
 * Our encodings against CERT/CC's published tables (../shared/data/ssvc, CERTCC/SSVC @ e3b00a25), row by row,
 * twice: against the JSON, through SSVC's value keys, and against the CSV, through SSVC's value names.
 */

const ROOT = 'ssvc/data';

interface SsvcPoint {
  readonly namespace: string;
  readonly key: string;
  readonly version: string;
  readonly name: string;
  readonly values: readonly { readonly key: string; readonly name: string; readonly definition: string }[];
}
interface SsvcTable {
  readonly namespace: string;
  readonly key: string;
  readonly version: string;
  readonly name: string;
  readonly decision_points: Readonly<Record<string, SsvcPoint>>;
  readonly outcome: string;
  readonly mapping: readonly Readonly<Record<string, string>>[];
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedData(ROOT, ...parts), 'utf8')) as T;
}

function sameDefinition(ours: DecisionPoint, theirs: SsvcPoint | undefined): void {
  expect(theirs, ours.id).toBeDefined();
  expect(`${theirs?.namespace}:${theirs?.key}:${theirs?.version}`).toBe(ours.id);
  expect(theirs?.name).toBe(ours.name);
  expect(theirs?.values.map((v) => [v.key, v.name])).toEqual(ours.values.map((v) => [v.key, v.name]));
}

function keyOf(point: DecisionPoint, value: string): string | undefined {
  return point.values.find((v) => v.value === value)?.key;
}

function nameOf(point: DecisionPoint, value: string): string | undefined {
  return point.values.find((v) => v.value === value)?.name.toLowerCase();
}

// The inputs type does not matter to these checks; every table is read through the same columns.
type AnyTable = DecisionTable<DecisionInputs<Record<string, string>>, string>;

const PUBLISHED: readonly { readonly table: AnyTable; readonly json: string; readonly csv: string }[] = [
  {
    table: CISA_COORDINATOR_TABLE,
    json: 'json/decision_tables/cisa/cisa_coordinator_2_0_3.json',
    csv: 'csv/cisa/cisa_coordinator_2_0_3.csv',
  },
  {
    table: DEPLOYER_TABLE,
    json: 'json/decision_tables/ssvc/deployer_patch_application_priority_1_0_0.json',
    csv: 'csv/ssvc/deployer_patch_application_priority_1_0_0.csv',
  },
  {
    table: SUPPLIER_TABLE,
    json: 'json/decision_tables/ssvc/supplier_patch_development_priority_1_0_0.json',
    csv: 'csv/ssvc/supplier_patch_development_priority_1_0_0.csv',
  },
  { table: HUMAN_IMPACT_TABLE, json: 'json/decision_tables/ssvc/human_impact_1_0_0.json', csv: 'csv/ssvc/human_impact_1_0_0.csv' },
  { table: UTILITY_TABLE, json: 'json/decision_tables/ssvc/utility_1_0_0.json', csv: 'csv/ssvc/utility_1_0_0.csv' },
  {
    table: PUBLIC_SAFETY_IMPACT_TABLE,
    json: 'json/decision_tables/ssvc/public_safety_impact_1_0_0.json',
    csv: 'csv/ssvc/public_safety_impact_1_0_0.csv',
  },
] as unknown as readonly { table: AnyTable; json: string; csv: string }[];

describeWithData('SSVC tables against CERT/CC data', ROOT, () => {
  for (const { table, json, csv } of PUBLISHED) {
    describe(table.id, () => {
      it('has the same id, name and decision points as the JSON', () => {
        const published = readJson<SsvcTable>(json);
        expect(`${published.namespace}:${published.key}:${published.version}`).toBe(table.id);
        expect(published.name).toBe(table.name);
        expect(Object.keys(published.decision_points)).toEqual([...table.columns.map((c) => c.point.id), table.outcome.id]);
        for (const point of [...table.columns.map((c) => c.point), table.outcome])
          sameDefinition(point, published.decision_points[point.id]);
        expect(published.outcome).toBe(table.outcome.id);
      });

      it('maps every row as the JSON does', () => {
        const { mapping } = readJson<SsvcTable>(json);
        expect(mapping).toHaveLength(table.rows.length);
        const ours = table.rows.map((row) => ({
          ...Object.fromEntries(table.columns.map(({ field, point }) => [point.id, keyOf(point, row.inputs[field] ?? '')])),
          [table.outcome.id]: keyOf(table.outcome, row.outcome),
        }));
        expect(ours).toEqual(mapping);
      });

      it('maps every row as the CSV does, with the same row numbers', () => {
        const [titles = [], ...lines] = csvRecords(readFileSync(sharedData(ROOT, csv), 'utf8'));
        const points = [...table.columns.map((c) => c.point), table.outcome];
        expect(titles[0]).toBe('row');
        points.forEach((point, i) => expect(titles[i + 1]?.startsWith(`${point.name} v${point.version}`)).toBe(true));
        expect(lines).toEqual(
          table.rows.map((row) => [
            String(row.index),
            ...table.columns.map(({ field, point }) => nameOf(point, row.inputs[field] ?? '')),
            nameOf(table.outcome, row.outcome),
          ]),
        );
      });
    });
  }

  describe(MISSION_WELLBEING_TABLE.id, () => {
    const point = (file: string) => readJson<SsvcPoint>('json/decision_points', file);

    it('uses the decision points SSVC defines', () => {
      sameDefinition(MISSION_PREVALENCE, point('cisa/mission_prevalence_1_0_0.json'));
      sameDefinition(PUBLIC_WELLBEING, point('ssvc/public_well_being_impact_1_1_0.json'));
      sameDefinition(MISSION_WELLBEING, point('ssvc/mission_and_well_being_impact_1_0_0.json'));
    });

    it('agrees with every combination the MWI definitions decide', () => {
      // The definitions this test encodes below; if SSVC rewords them, the expectations need a fresh look.
      expect(point('ssvc/mission_and_well_being_impact_1_0_0.json').values.map((v) => v.definition)).toEqual([
        'Mission Prevalence:Minimal AND Public Well-Being Impact:Minimal',
        'Mission Prevalence:Support AND Public Well-Being Impact:(Minimal OR Material)',
        'Mission Prevalence:Essential OR Public Well-Being Impact:(Irreversible)',
      ]);
      const decided: [string, string, string][] = [
        ['minimal', 'minimal', 'low'],
        ['support', 'minimal', 'medium'],
        ['support', 'material', 'medium'],
        ['minimal', 'irreversible', 'high'],
        ['support', 'irreversible', 'high'],
        ['essential', 'minimal', 'high'],
        ['essential', 'material', 'high'],
        ['essential', 'irreversible', 'high'],
      ];
      for (const [missionPrevalence, publicWellbeing, outcome] of decided) {
        const row = MISSION_WELLBEING_TABLE.rows.find(
          (r) => r.inputs.missionPrevalence === missionPrevalence && r.inputs.publicWellbeing === publicWellbeing,
        );
        expect(row?.outcome, `${missionPrevalence} × ${publicWellbeing}`).toBe(outcome);
      }
    });
  });
});

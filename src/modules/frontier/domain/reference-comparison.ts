import type { Measurement } from './benchmarks.js';
import type { ReferenceThreshold } from './policy.js';

/**
 * Where a result stands against the policy's reference value for its benchmark and metric. The words are
 * deliberately descriptive: a reference is context for the developer and the agencies, never a pass/fail.
 */
export const REFERENCE_RELATIONS = ['at_or_beyond_reference', 'short_of_reference', 'no_reference', 'unscored'] as const;
export type ReferenceRelation = (typeof REFERENCE_RELATIONS)[number];

export interface ComparedMeasurement extends Measurement {
  readonly reference: ReferenceThreshold | null;
  readonly relation: ReferenceRelation;
}

export function compareToReference(measurement: Measurement, thresholds: readonly ReferenceThreshold[]): ComparedMeasurement {
  const metric = measurement.metric.toLowerCase();
  const reference = thresholds.find((t) => t.benchmark === measurement.benchmark && t.metric.toLowerCase() === metric) ?? null;
  let relation: ReferenceRelation;
  if (measurement.value === null) relation = 'unscored';
  else if (reference === null) relation = 'no_reference';
  else if (reference.direction === 'at_or_above')
    relation = measurement.value >= reference.value ? 'at_or_beyond_reference' : 'short_of_reference';
  else relation = measurement.value <= reference.value ? 'at_or_beyond_reference' : 'short_of_reference';
  return { ...measurement, reference, relation };
}

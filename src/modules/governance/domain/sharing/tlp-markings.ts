import type { Tlp } from '../../../../platform/tlp.js';

/**
 * TLP 2.0 as STIX 2.1 marking definitions, exactly as OASIS publishes them: the TLP 2.0 extension
 * definition and one marking definition per label, from oasis-open/cti-stix-common-objects —
 * `objects/extension-definition/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json`,
 * `objects/marking-definition/marking-definition--<id>.json` and
 * `extension-definition-specifications/tlp-2.0/` (its JSON schema and examples). Copies of those files sit
 * in `testdata/tlp-2.0/`, and the tests hold these objects equal to them.
 */

export const TLP2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The STIX extension-definition object itself, so a bundle is self-describing. */
export const TLP2_EXTENSION_DEFINITION = Object.freeze({
  id: TLP2_EXTENSION_DEFINITION_ID,
  type: 'extension-definition',
  spec_version: '2.1',
  name: 'TLP 2.0',
  description: 'This defines TLP 2.0 as a STIX extension',
  created: '2022-10-01T00:00:00.000Z',
  modified: '2022-10-01T00:00:00.000Z',
  created_by_ref: 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01',
  schema: 'https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0',
  version: '1.0.0',
  extension_types: Object.freeze(['property-extension']),
});

const MARKING_IDS: Readonly<Record<Tlp, string>> = Object.freeze({
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
});

export interface TlpMarkingDefinition {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: string;
  readonly created: string;
  readonly name: string;
  readonly extensions: Readonly<Record<string, { readonly extension_type: 'property-extension'; readonly tlp_2_0: string }>>;
}

/** The official id of a label's marking definition. */
export function tlpMarkingId(tlp: Tlp): string {
  return MARKING_IDS[tlp];
}

/** The official marking definition of a label. */
export function tlpMarkingDefinition(tlp: Tlp): TlpMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: { [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() } },
  };
}

/** The label a marking-definition id stands for, or null when it is no TLP 2.0 marking. */
export function tlpOfMarking(id: string): Tlp | null {
  const found = (Object.entries(MARKING_IDS) as [Tlp, string][]).find(([, markingId]) => markingId === id);
  return found ? found[0] : null;
}

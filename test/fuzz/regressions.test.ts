import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../src/modules/intake/index.js';
import { parseSbom } from '../../src/modules/inventory/domain/sbom-parse.js';
import { InputError } from '../../src/platform/errors.js';
import { schemaValidator } from '../../src/platform/input/json-schema.js';

/**
 * Inputs the fuzzer found (`npm run fuzz`), minimized, each of which once ended in an uncaught TypeError or
 * RangeError (an HTTP 500) and must now be refused with the product's input error naming the problem.
 */

const refusal = (read: () => unknown): InputError => {
  try {
    read();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('the input was read');
};

describe('keys that shadow built-in methods (valueOf, toString)', () => {
  // Ajv compares array items for uniqueItems with fast-deep-equal, which calls an item's own valueOf or
  // toString when it is not Object.prototype's: a JSON key of that name made every such validation throw.
  it('are schema violations, not a TypeError, in any validator the kit makes', () => {
    const validate = schemaValidator('draft-07', { type: 'array', uniqueItems: true });
    expect(validate([{ valueOf: 1 }, { valueOf: 2 }])).toEqual([
      { pointer: '/1/valueOf', detail: 'a key named "valueOf" is not read (it shadows a built-in method)' },
      { pointer: '/0/valueOf', detail: 'a key named "valueOf" is not read (it shadows a built-in method)' },
    ]);
    expect(validate([{ toString: 'x' }, { toString: 'y' }])).toContainEqual({
      pointer: '/0/toString',
      detail: 'a key named "toString" is not read (it shadows a built-in method)',
    });
    // Where the comparison never calls the key, it is no concern of the validator's.
    expect(validate([{ toString: 'x' }, { a: 1 }])).toEqual([]);
    expect(validate([{ a: 1 }, { a: 1 }])).toEqual([{ pointer: '', detail: expect.stringMatching(/duplicate items/) }]);
  });

  it('refuse a CVE record by pointer (found by the fuzzer in cve/records)', () => {
    const org = 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6';
    const record = {
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: 'CVE-2024-0001', assignerOrgId: org, state: 'PUBLISHED' },
      containers: {
        cna: {
          providerMetadata: { orgId: org },
          descriptions: [{ lang: 'en', value: 'x' }],
          affected: [{ vendor: 'v', product: 'p', versions: [{ version: '1', status: 'affected' }] }],
          references: [{ url: 'https://a.example' }, { url: 'https://a.example', toString: 2 }] as unknown[],
        },
      },
    };
    const error = refusal(() => parseSubmission(JSON.stringify(record)));
    expect(error.issues).toContainEqual({
      pointer: '/containers/cna/references/1/toString',
      detail: 'a key named "toString" is not read (it shadows a built-in method)',
    });
  });
});

describe('deeply nested SBOMs', () => {
  // CycloneDX components nest; reading them recursively overflowed the stack (RangeError) at a few thousand levels.
  it('refuses a CycloneDX JSON document nested past 128 levels by name', () => {
    const component = '{"type":"library","name":"a","components":['.repeat(3_000) + '{"type":"library","name":"b"}' + ']}'.repeat(3_000);
    const bom = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[${component}]}`;
    expect(refusal(() => parseSbom(bom)).message).toBe('JSON file: nests deeper than 128 levels');
  });

  it('still reads components nested a realistic few levels deep', () => {
    const component =
      '{"type":"library","name":"a","version":"1","components":['.repeat(10) +
      '{"type":"library","name":"b","version":"2"}' +
      ']}'.repeat(10);
    const bom = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[${component}]}`;
    expect(parseSbom(bom).components.length).toBe(11);
  });
});

import { describe, expect, it } from 'vitest';
import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { MAX_WARNINGS, parseSubmission, parseSubmittedValue } from './parse-submission.js';

const osv = { id: 'GO-2024-0001', modified: '2024-01-01T00:00:00Z', aliases: ['CVE-2024-0001'] };

describe('parseSubmission', () => {
  it('detects the format by default and accepts a forced format that agrees', () => {
    expect(parseSubmission(JSON.stringify(osv)).format).toBe('osv');
    expect(parseSubmission(JSON.stringify(osv), { format: 'osv' }).format).toBe('osv');
  });

  it('refuses a forced format the document contradicts, as unsupported', () => {
    expect(() => parseSubmission(JSON.stringify(osv), { format: 'sarif' })).toThrow(UnsupportedMediaTypeError);
    expect(() => parseSubmission(JSON.stringify(osv), { format: 'sarif' })).toThrow(/declared sarif but is osv/);
  });

  it('validates an unrecognizable document against a forced format, so the answer names the missing fields', () => {
    try {
      parseSubmission('{"hello":"world"}', { format: 'osv' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.detail).join(' ')).toMatch(/required property 'id'/);
    }
  });

  it('refuses a forced format for a value that is not an object', () => {
    expect(() => parseSubmission('[1,2]', { format: 'native' })).toThrow(InputError);
  });

  it('refuses unrecognized documents as unsupported, with the reason', () => {
    expect(() => parseSubmission('{"hello":"world"}')).toThrow(/Unrecognized document: the document is none of/);
  });

  it('reads a value already parsed from JSON the same way', () => {
    expect(parseSubmittedValue(osv)).toEqual(parseSubmission(JSON.stringify(osv)));
  });

  it('caps warnings and says how many were left out', () => {
    const results = Array.from({ length: MAX_WARNINGS + 5 }, (_, i) => ({
      ruleId: 'r',
      message: { text: 'x' },
      locations: [{ physicalLocation: { artifactLocation: { uri: `file:///abs/${i}.c` } } }],
    }));
    const sarif = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results }] });
    const { warnings, findings } = parseSubmission(sarif);
    expect(findings).toHaveLength(MAX_WARNINGS + 5);
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings.at(-1)?.detail).toBe('5 more warnings not listed');
  });
});

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { MAX_DOCUMENT_DEPTH, assertDepth, decodeDocument } from './decode-document.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).code;
  }
  return undefined;
}

describe('decodeDocument', () => {
  it('accepts a UTF-8 byte-order mark in bytes and in text', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
    expect(decodeDocument(bytes, { allowYaml: false }).value).toEqual({ a: 1 });
    expect(decodeDocument('\uFEFF{"a":1}', { allowYaml: false }).value).toEqual({ a: 1 });
  });

  it('refuses empty input, bytes that are not UTF-8, and malformed JSON, each with its code', () => {
    expect(codeOf(() => decodeDocument(' \n', { allowYaml: true }))).toBe('empty-document');
    expect(codeOf(() => decodeDocument(new Uint8Array([0x7b, 0xff, 0x7d]), { allowYaml: false }))).toBe('invalid-encoding');
    expect(codeOf(() => decodeDocument('{"a":', { allowYaml: true }))).toBe('malformed-document');
    expect(codeOf(() => decodeDocument('a: 1', { allowYaml: false }))).toBe('malformed-document');
  });

  it('reads YAML numbers as strings, so version 1.10 stays 1.10', () => {
    const { value, syntax } = decodeDocument('id: X-1\nversions:\n  - 1.10\n  - 2\nwithdrawn: null\n', { allowYaml: true });
    expect(syntax).toBe('yaml');
    expect(value).toEqual({ id: 'X-1', versions: ['1.10', '2'], withdrawn: null });
  });

  it('refuses duplicate YAML keys and YAML syntax errors', () => {
    expect(codeOf(() => decodeDocument('a: 1\na: 2\n', { allowYaml: true }))).toBe('malformed-document');
    expect(codeOf(() => decodeDocument('a: [\n', { allowYaml: true }))).toBe('malformed-document');
  });

  it('refuses nesting past the limit and YAML that refers to itself', () => {
    const deep = '['.repeat(MAX_DOCUMENT_DEPTH + 1) + ']'.repeat(MAX_DOCUMENT_DEPTH + 1);
    expect(codeOf(() => decodeDocument(deep, { allowYaml: false }))).toBe('too-deep');
    const fine = '['.repeat(MAX_DOCUMENT_DEPTH) + ']'.repeat(MAX_DOCUMENT_DEPTH);
    expect(decodeDocument(fine, { allowYaml: false }).syntax).toBe('json');
    expect(codeOf(() => decodeDocument('a: &a [*a]\n', { allowYaml: true }))).toBe('too-deep');
  });

  it('measures absurd nesting without exhausting the stack', () => {
    const absurd = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(codeOf(() => decodeDocument(absurd, { allowYaml: false }))).toBe('too-deep');
    expect(codeOf(() => decodeDocument('['.repeat(200_000), { allowYaml: false }))).toBe('malformed-document');
  });

  it('checks the depth of values parsed elsewhere', () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_DOCUMENT_DEPTH + 5; i++) value = { value };
    expect(codeOf(() => assertDepth(value))).toBe('too-deep');
  });
});

describe('decodeDocument and YAML tags', () => {
  it('refuses unknown YAML tags instead of reading them as strings', () => {
    expect(() => decodeDocument('id: !custom X-1\n', { allowYaml: true })).toThrow(/Unresolved tag/);
  });

  it('refuses alias expansion past the limit (a "billion laughs" document)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(() => decodeDocument(lines.join('\n'), { allowYaml: true })).toThrow(InputError);
  });
});

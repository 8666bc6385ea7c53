import { describe, expect, it } from 'vitest';
import { storedEnum, storedEnumOrNull } from './stored-enum.js';

describe('storedEnum', () => {
  const SIZES = ['small', 'large'] as const;

  it('gives back a value of the list', () => {
    expect(storedEnum(SIZES, 'large', 't.size')).toBe('large');
    expect(storedEnumOrNull(SIZES, 'small', 't.size')).toBe('small');
  });

  it('refuses a value outside the list, naming the column and the list', () => {
    expect(() => storedEnum(SIZES, 'Large', 't.size')).toThrow('t.size holds "Large", which is not one of small, large');
    expect(() => storedEnumOrNull(SIZES, '', 't.size')).toThrow('t.size holds ""');
  });

  it('keeps null for a nullable column', () => {
    expect(storedEnumOrNull(SIZES, null, 't.size')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { compareDigitStrings } from './version-order.js';

describe('compareDigitStrings', () => {
  it('orders digit strings of any length and any leading zeros as BigInt does', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const digits = () => '0'.repeat(next(3)) + Array.from({ length: next(25) }, () => String(next(10))).join('');
    for (let k = 0; k < 5000; k += 1) {
      const a = digits();
      const b = k % 7 === 0 ? `00${a}` : digits();
      const x = BigInt(a === '' ? '0' : a);
      const y = BigInt(b === '' ? '0' : b);
      expect(compareDigitStrings(a, b), `${a} vs ${b}`).toBe(x < y ? -1 : x > y ? 1 : 0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { counted } from './output.js';

describe('counted', () => {
  it('puts the noun in the number of the count', () => {
    expect([0, 1, 2].map((n) => counted(n, 'job'))).toEqual(['0 jobs', '1 job', '2 jobs']);
    expect(counted(1, 'vulnerability', 'vulnerabilities')).toBe('1 vulnerability');
    expect(counted(3, 'vulnerability', 'vulnerabilities')).toBe('3 vulnerabilities');
  });
});

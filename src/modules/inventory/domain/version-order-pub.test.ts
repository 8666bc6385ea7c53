import { describe, expect, it } from 'vitest';
import { pubOrder } from './version-order-pub.js';

describe('Pub version order', () => {
  it('reads build metadata the same with or without surrounding white space', () => {
    expect(pubOrder.compare(' 1.0.0+1', '1.0.0+1')).toBe(0);
    expect(pubOrder.compare('1.0.0+2 ', '1.0.0+1')).toBeGreaterThan(0);
    expect(pubOrder.compare(' 1.0.0+1', '1.0.0')).toBeGreaterThan(0);
    expect(pubOrder.compare(' 1.0.0+1', ' 1.0.0+a')).toBeLessThan(0);
  });
});

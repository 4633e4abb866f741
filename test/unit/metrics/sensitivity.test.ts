// Weight sensitivity: seeded, reproducible, and it says when an order is not stable.

import { describe, expect, it } from 'vitest';
import { composite, prng, ranks, sensitivity } from '../../../metrics/score/sensitivity.ts';

describe('sensitivity', () => {
  it('is reproducible for a seed', () => {
    const input = {
      units: [
        { org_unit: 'a', dimensions: { x: 90, y: 10 } },
        { org_unit: 'b', dimensions: { x: 10, y: 90 } },
        { org_unit: 'c', dimensions: { x: 50, y: 50 } },
      ],
      weights: { x: 50, y: 50 },
      draws: 1000,
      seed: 7,
      spread: 0.5,
    };
    expect(sensitivity(input)).toEqual(sensitivity(input));
    const r = sensitivity(input);
    // a and b trade places as the weights move: not stable
    expect(r.stable).toBe(false);
    const a = r.intervals.find((i) => i.org_unit === 'a')!;
    expect(a.p5).toBeLessThan(a.p95);
    expect(a.stable).toBe(false);
  });

  it('a dominated unit keeps its rank', () => {
    const r = sensitivity({ units: [{ org_unit: 'a', dimensions: { x: 90, y: 90 } }, { org_unit: 'b', dimensions: { x: 10, y: 20 } }], weights: { x: 1, y: 2 }, draws: 200, seed: 1, spread: 0.5 });
    expect(r.stable).toBe(true);
    expect(r.intervals.map((i) => [i.rank, i.p5, i.p95])).toEqual([[1, 1, 1], [2, 2, 2]]);
  });

  it('helpers', () => {
    expect(composite({ x: 100, y: 0 }, { x: 1, y: 3 })).toBe(25);
    expect(ranks([5, 9, 5])).toEqual([2, 1, 2]);
    const r = prng(42);
    expect(r()).toBe(prng(42)());
  });
});

// Weight sensitivity: seeded, reproducible, and it says when an order is not stable.

import { describe, expect, it } from 'vitest';
import { composite, prng, ranks, type SensitivityInput, sensitivity, sensitivityAsync } from '../../../metrics/score/sensitivity.ts';

/** The definition, written plainly: O(n^2) ranks, arrays of arrays. */
function naive(input: SensitivityInput) {
  const { units, weights, draws, seed, spread } = input;
  const dims = Object.keys(weights);
  const rk = (vs: number[]) => vs.map((v) => 1 + vs.filter((o) => o > v + 1e-9).length);
  const base = rk(units.map((u) => composite(u.dimensions, weights)));
  const rnd = prng(seed);
  const samples: number[][] = units.map(() => []);
  for (let d = 0; d < draws; d++) {
    const w: Record<string, number> = {};
    let total = 0;
    for (const k of dims) {
      w[k] = weights[k] * (1 - spread + 2 * spread * rnd());
      total += w[k];
    }
    for (const k of dims) w[k] /= total;
    rk(units.map((u) => composite(u.dimensions, w))).forEach((r, i) => {
      samples[i].push(r);
    });
  }
  const pct = (s: number[], p: number) => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
  return units.map((u, i) => {
    const s = samples[i].sort((a, b) => a - b);
    return { org_unit: u.org_unit, rank: base[i], p5: pct(s, 5), p95: pct(s, 95), stable: pct(s, 5) === pct(s, 95) };
  });
}

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

  it('the sliced computation (a server yields between slices) gives the same result', async () => {
    const rnd = prng(3);
    const units = Array.from({ length: 40 }, (_, i) => ({ org_unit: `u${i}`, dimensions: { x: rnd() * 100, y: rnd() * 100, z: rnd() * 100 } }));
    // 37 draws: not a whole number of slices
    const input = { units, weights: { x: 2, y: 1, z: 1 }, draws: 37, seed: 11, spread: 0.6 };
    const sliced = await sensitivityAsync(input);
    expect(sliced).toEqual(sensitivity(input));
    expect(sliced.intervals.map(({ org_unit, rank, p5, p95, stable }) => ({ org_unit, rank, p5, p95, stable }))).toEqual(naive(input));
  });

  it('a dominated unit keeps its rank', () => {
    const r = sensitivity({ units: [{ org_unit: 'a', dimensions: { x: 90, y: 90 } }, { org_unit: 'b', dimensions: { x: 10, y: 20 } }], weights: { x: 1, y: 2 }, draws: 200, seed: 1, spread: 0.5 });
    expect(r.stable).toBe(true);
    expect(r.intervals.map((i) => [i.rank, i.p5, i.p95])).toEqual([[1, 1, 1], [2, 2, 2]]);
  });

  it('equals the plain O(n^2) definition, ties and missing dimensions included', () => {
    const rnd = prng(3);
    const units = Array.from({ length: 300 }, (_, i) => {
      const dims: Record<string, number> = {};
      for (const d of ['a', 'b', 'c', 'd']) if (rnd() > 0.1) dims[d] = Math.round(rnd() * 20) * 5; // coarse values: many ties
      if (i % 50 === 0) dims.z = 99; // a dimension the weights do not name
      return { org_unit: `u${i}`, dimensions: dims };
    });
    const input = { units, weights: { a: 30, b: 25, c: 25, d: 20 }, draws: 200, seed: 11, spread: 0.4 };
    expect(sensitivity(input).intervals).toEqual(naive(input));
  });

  it('helpers', () => {
    expect(composite({ x: 100, y: 0 }, { x: 1, y: 3 })).toBe(25);
    expect(ranks([5, 9, 5])).toEqual([2, 1, 2]);
    const r = prng(42);
    expect(r()).toBe(prng(42)());
  });
});

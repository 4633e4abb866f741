// Weight sensitivity over the small units x dimensions score matrix: each
// dimension weight times a seeded uniform factor in [1 - spread, 1 + spread],
// renormalised; 1,000 draws by default; each unit's rank interval (5th to
// 95th percentile, nearest rank) and whether the order is stable.

export interface SensitivityInput {
  units: { org_unit: string; dimensions: Record<string, number> }[];
  weights: Record<string, number>;
  draws: number;
  seed: number;
  spread: number;
}

export interface RankInterval {
  org_unit: string;
  rank: number;
  p5: number;
  p95: number;
  stable: boolean;
}

/** mulberry32: small, seeded, reproducible across platforms. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function composite(dims: Record<string, number>, weights: Record<string, number>): number {
  let s = 0;
  let w = 0;
  for (const [d, v] of Object.entries(dims)) {
    const wd = weights[d];
    if (wd === undefined) continue;
    s += wd * v;
    w += wd;
  }
  return w > 0 ? s / w : 0;
}

/** Competition ranking, 1 = highest; ties share the better rank. */
export function ranks(values: number[]): number[] {
  return values.map((v) => 1 + values.filter((o) => o > v + 1e-9).length);
}

function percentile(sorted: number[], p: number): number {
  const k = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[k];
}

export function sensitivity(input: SensitivityInput): { intervals: RankInterval[]; stable: boolean; draws: number; seed: number } {
  const { units, weights, draws, seed, spread } = input;
  const dims = Object.keys(weights);
  const base = ranks(units.map((u) => composite(u.dimensions, weights)));
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
    const r = ranks(units.map((u) => composite(u.dimensions, w)));
    for (let i = 0; i < r.length; i++) samples[i].push(r[i]);
  }
  const intervals = units.map((u, i) => {
    const s = samples[i].sort((a, b) => a - b);
    const p5 = percentile(s, 5);
    const p95 = percentile(s, 95);
    return { org_unit: u.org_unit, rank: base[i], p5, p95, stable: p5 === p95 };
  });
  return { intervals, stable: intervals.every((x) => x.stable), draws, seed };
}

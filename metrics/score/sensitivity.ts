// Weight sensitivity over the units x dimensions score matrix: each
// dimension weight times a seeded uniform factor in [1 - spread, 1 + spread],
// renormalised; 1,000 draws by default; each unit's rank interval (5th to
// 95th percentile, nearest rank) and whether the order is stable.
//
// Sized for 10,000 units x 1,000 draws: the scores live in a Float64Array,
// each draw's ranks come from one numeric sort plus a binary search per unit
// (O(n log n), not a comparison against every other unit), and each unit's
// 1,000 ranks are kept in one Int32Array and sorted in place.

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

/** Weighted mean of the dimensions the weights name (others ignored). */
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

/** Competition ranking, 1 = highest; ties (within 1e-9) share the better rank. */
export function ranks(values: ArrayLike<number>): number[] {
  const out = new Int32Array(values.length);
  rankInto(Float64Array.from(values), new Float64Array(values.length), out);
  return Array.from(out);
}

/** rank(v) = 1 + #{x > v + 1e-9}: sort once, then a binary search per value. */
function rankInto(values: Float64Array, scratch: Float64Array, out: Int32Array): void {
  scratch.set(values);
  scratch.sort();
  const n = scratch.length;
  for (let i = 0; i < n; i++) {
    const t = values[i] + 1e-9;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (scratch[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    out[i] = 1 + n - lo;
  }
}

function percentile(sorted: Int32Array, p: number): number {
  const k = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[k];
}

export interface SensitivityResult {
  intervals: RankInterval[];
  stable: boolean;
  draws: number;
  seed: number;
}

/** Draws computed between two yields of `sensitivitySteps` (about 15 ms at 10,000 units). */
const DRAWS_PER_STEP = 5;

export function sensitivity(input: SensitivityInput): SensitivityResult {
  const steps = sensitivitySteps(input);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/**
 * The same result, computed in slices that give the event loop back in
 * between (a server computing it for 10,000 units, ~3 s, keeps answering).
 */
export async function sensitivityAsync(input: SensitivityInput): Promise<SensitivityResult> {
  const steps = sensitivitySteps(input);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
    await new Promise((r) => setImmediate(r));
  }
}

/** The computation, yielding every DRAWS_PER_STEP draws. */
function* sensitivitySteps(input: SensitivityInput): Generator<void, SensitivityResult> {
  const { units, weights, draws, seed, spread } = input;
  const dims = Object.keys(weights);
  const n = units.length;
  const m = dims.length;
  // scores[u * m + d]; NaN where the unit has no score for the dimension (left out of its mean)
  const scores = new Float64Array(n * m);
  for (let u = 0; u < n; u++) {
    for (let d = 0; d < m; d++) {
      const v = units[u].dimensions[dims[d]];
      scores[u * m + d] = v === undefined ? Number.NaN : v;
    }
  }
  const comp = new Float64Array(n);
  const scratch = new Float64Array(n);
  const rank = new Int32Array(n);
  const w = new Float64Array(m);
  const compute = (wt: Float64Array) => {
    for (let u = 0; u < n; u++) {
      let s = 0;
      let tw = 0;
      for (let d = 0; d < m; d++) {
        const v = scores[u * m + d];
        if (Number.isNaN(v)) continue;
        s += wt[d] * v;
        tw += wt[d];
      }
      comp[u] = tw > 0 ? s / tw : 0;
    }
    rankInto(comp, scratch, rank);
  };
  for (let d = 0; d < m; d++) w[d] = weights[dims[d]];
  compute(w);
  const base = Int32Array.from(rank);
  const rnd = prng(seed);
  // samples[u * draws + k]: unit u's rank in draw k
  const samples = new Int32Array(n * draws);
  for (let k = 0; k < draws; k++) {
    let total = 0;
    for (let d = 0; d < m; d++) {
      w[d] = weights[dims[d]] * (1 - spread + 2 * spread * rnd());
      total += w[d];
    }
    for (let d = 0; d < m; d++) w[d] /= total;
    compute(w);
    for (let u = 0; u < n; u++) samples[u * draws + k] = rank[u];
    if (k % DRAWS_PER_STEP === DRAWS_PER_STEP - 1) yield;
  }
  const intervals = units.map((unit, u) => {
    const s = samples.subarray(u * draws, (u + 1) * draws).sort();
    const p5 = percentile(s, 5);
    const p95 = percentile(s, 95);
    return { org_unit: unit.org_unit, rank: base[u], p5, p95, stable: p5 === p95 };
  });
  return { intervals, stable: intervals.every((x) => x.stable), draws, seed };
}

// Login rate limit: failed attempts counted per client address and per
// username in a sliding window; over the limit answers 429 with Retry-After.
// In memory: one server process owns the store.

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** Milliseconds until another attempt is allowed for any of the keys (0 = allowed now). */
  blockedFor(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const k of keys) {
      const list = this.recent(k, now);
      if (list.length >= this.max) wait = Math.max(wait, this.windowMs - (now - list[0]));
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const k of keys) this.hits.set(k, [...this.recent(k, now), now]);
  }

  reset(keys: string[]): void {
    for (const k of keys) this.hits.delete(k);
  }
}

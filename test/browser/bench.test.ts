// The UI benchmark's own machinery (test/bench/ui-bench.ts), on the sample
// district with one run: its in-page marks fire (charts drawn, then nothing
// loading), the figures come out finite and in order, and the initial
// JavaScript stays within the 400 KB gzipped. No time is asserted.

import { describe, expect, it } from 'vitest';
import { benchUi, initialJs } from '../bench/ui-bench.ts';
import { HAS_CHROMIUM } from './harness.ts';

describe.skipIf(!HAS_CHROMIUM)('UI benchmark machinery', () => {
  it('marks the overview charts drawn, then settled, in the page clock; the initial JS within 400 KB', async () => {
    const lines: string[] = [];
    const r = await benchUi({ runs: 1, settleMs: 300, timeoutMs: 60_000, log: (l) => lines.push(l) });
    expect(r, lines.join('\n')).not.toBeNull();
    const x = r!;
    for (const v of [x.overviewColdMs, x.overviewWarmMs, x.overviewSettledMs, x.overviewFreshWindowMs, x.blankMs]) {
      expect(Number.isFinite(v), lines.join('\n')).toBe(true);
      expect(v).toBeGreaterThan(0);
    }
    // the score table arrives after the charts: settled is never before charts
    expect(x.overviewSettledMs).toBeGreaterThanOrEqual(x.overviewWarmMs);
    expect(x.communities).toBeGreaterThanOrEqual(30);
    const init = initialJs();
    expect(init.files.some((f) => f.includes('echarts'))).toBe(true);
    expect(x.initialJsGzipBytes).toBe(init.gzipBytes);
    expect(x.initialJsGzipBytes).toBeLessThanOrEqual(400 * 1024);
  }, 180_000);
});

// Dashboard flows in headless Chromium: drill-down from the ranking to a
// community, the period control changing URL and numbers, the acceptance
// print view as a PDF with one page per community, presentation mode cycling.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsInked, HAS_CHROMIUM, launch, type Server, SKIP_MESSAGE, settled, shot, startServer, textLines, watch } from './harness.ts';

if (!HAS_CHROMIUM) console.warn(SKIP_MESSAGE);

interface Ranked { org_unit: string; name: string; composite: number }

/** Page objects in a PDF (each page dictionary is `/Type /Page`, the tree root `/Type /Pages`). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(!HAS_CHROMIUM)('dashboard flows (headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let periods: string[];
  const PLAN = 'sanshe-lab-2015';

  beforeAll(async () => {
    server = await startServer('flows');
    browser = await launch();
    periods = (await server.api<{ rows: { period: string }[] }>('/api/v1/periods')).rows.map((r) => r.period);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(hash: string, size = { width: 1920, height: 1080 }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: size });
    const errors = watch(page);
    await page.goto(`${server.url}/#/${hash}`);
    await settled(page);
    return { page, errors };
  }

  it('clicking a ranking bar opens that community', async () => {
    const { page, errors } = await open('overview');
    await chartsInked(page);
    const latest = periods[periods.length - 1];
    const c = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?plan=${PLAN}&period=${latest}&level=community`);
    const best = c.rows[0];
    // The best community is the top bar: click inside the chart's first category band.
    const box = (await page.locator('figure[data-chart="ranking"] canvas').first().boundingBox())!;
    const pos = await page.evaluate(() => {
      const el = document.querySelector('figure[data-chart="ranking"] [_echarts_instance_]') as HTMLElement & { __inst?: unknown };
      return el ? el.getAttribute('_echarts_instance_') : null;
    });
    expect(pos).toBeTruthy();
    // Bars are sorted ascending bottom-to-top: the top bar is the best. Find its pixel row by scanning for the first coloured bar.
    const y = await page.evaluate(() => {
      const cv = document.querySelector('figure[data-chart="ranking"] canvas') as HTMLCanvasElement;
      const ctx = cv.getContext('2d')!;
      const r = window.devicePixelRatio || 1;
      const x = Math.round(cv.width * 0.3);
      const d = ctx.getImageData(x, 0, 1, cv.height).data;
      for (let i = 0; i < cv.height; i++) {
        const [R, G, B, A] = [d[i * 4], d[i * 4 + 1], d[i * 4 + 2], d[i * 4 + 3]];
        if (A > 200 && !(R > 200 && G > 200 && B > 200) && Math.max(R, G, B) - Math.min(R, G, B) > 60) return (i + 4) / r;
      }
      return -1;
    });
    expect(y).toBeGreaterThan(0);
    await page.mouse.click(box.x + box.width * 0.3, box.y + y);
    await page.waitForURL(new RegExp(`#/community/${best.org_unit}`), { timeout: 30_000 });
    await settled(page);
    expect(await page.locator('h1').first().innerText()).toBe(best.name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changing the period changes the URL and the numbers', async () => {
    const { page, errors } = await open('overview');
    await chartsInked(page);
    const latest = periods[periods.length - 1];
    const earlier = periods[periods.length - 5];
    const before = await page.locator('[data-indicator="composite"] .big').innerText();
    await page.selectOption('#ctl-period', earlier);
    await page.waitForURL(new RegExp(`period=${earlier}`));
    await settled(page);
    await chartsInked(page);
    const d = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?plan=${PLAN}&period=${earlier}&level=district`);
    const after = await page.locator('[data-indicator="composite"] .big').innerText();
    expect(after).toBe(d.rows[0].composite.toFixed(1));
    const dl = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?plan=${PLAN}&period=${latest}&level=district`);
    expect(before).toBe(dl.rows[0].composite.toFixed(1));
    expect(after).not.toBe(before);
    // The link reproduces the view.
    const url = page.url();
    const again = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await again.goto(url);
    await settled(again);
    expect(await again.locator('[data-indicator="composite"] .big').innerText()).toBe(after);
    await again.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('acceptance print view renders to a PDF with one A4 page per community', async () => {
    const { page, errors } = await open('print/all', { width: 1000, height: 1400 });
    await page.waitForSelector('[data-ready="1"]');
    const n = Number(await page.locator('[data-ready="1"]').getAttribute('data-pages'));
    const a = await server.api<{ rows: unknown[] }>(`/api/v1/acceptance?plan=${PLAN}&level=community`);
    expect(n).toBe(a.rows.length);
    // Each sheet lists its community's data-quality findings of the period, the caveats the team signs under
    const { latest } = await server.api<{ latest: string }>('/api/v1/periods');
    const f = await server.api<{ rows: { org_unit: string }[] }>(`/api/v1/quality/findings?period=${latest}`);
    const expected = new Map<string, number>();
    for (const r of f.rows) expected.set(r.org_unit, (expected.get(r.org_unit) ?? 0) + 1);
    const listed = await page.locator('.sheet[data-unit]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-unit'), Number(e.querySelector('.sheet-quality')?.getAttribute('data-findings') ?? -1)] as const),
    );
    expect(listed.length).toBe(n);
    for (const [unit, count] of listed) expect(count).toBe(expected.get(unit!) ?? 0);
    expect(listed.some(([, count]) => count > 0)).toBe(true);
    // The notes name the plan's source document by its title and file.
    expect(await page.locator('.sheet .notes').first().innerText()).toContain('来源文件：《关于创建“全国社区治理和服务创新实验区”实施方案》（003_2c62b06a88ff33d5.txt）');
    await shot(page, 'acceptance-print');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    expect(pdfPageCount(pdf)).toBe(n);
    // portrait sheets (the dashboard pages' landscape is a named page of their own)
    const boxes = new Set([...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`));
    expect(boxes).toEqual(new Set(['595x842']));
    // The district summary and a single community print too.
    await page.goto(`${server.url}/#/print/district`);
    await settled(page);
    expect(await page.locator('.sheet.district table:not(#district-requirements) tbody tr').count()).toBe(n);
    // and tallies each requirement over the communities: met + not met + no data = every community, met as the API's attainment says
    const vals = (await server.api<{ rows: { indicator: string; target_kind: string | null; attainment: number | null; value: number | null }[] }>(`/api/v1/values?plan=${PLAN}&level=community&in_plan=true`)).rows.filter((v) => v.target_kind);
    const tally = await page.locator('#district-requirements tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-indicator'), ...[...tr.querySelectorAll('td')].slice(1, 4).map((td) => Number(td.textContent))] as [string, number, number, number]),
    );
    expect(tally.map((r) => r[0]).sort()).toEqual([...new Set(vals.map((v) => v.indicator))].sort());
    for (const [id, met, notMet, none] of tally) {
      const of = vals.filter((v) => v.indicator === id);
      expect([met, notMet, none], id).toEqual([
        of.filter((v) => v.value !== null && v.attainment !== null && v.attainment >= 0.9999).length,
        of.filter((v) => v.value !== null && !(v.attainment !== null && v.attainment >= 0.9999)).length,
        of.filter((v) => v.value === null).length,
      ]);
      expect(met + notMet + none).toBe(n);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('one community prints by code or by name, fits the sheet in English; an unknown name says so', async () => {
    const c = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?plan=${PLAN}&level=community`);
    for (const key of [c.rows[0].org_unit, c.rows[0].name]) {
      const { page, errors } = await open(`print/${encodeURIComponent(key)}`, { width: 1000, height: 1400 });
      await page.waitForSelector('[data-ready="1"]');
      expect(await page.locator('[data-ready="1"]').getAttribute('data-pages')).toBe('1');
      expect(await page.locator('.sheet').first().textContent()).toContain(c.rows[0].name);
      // Each requirement quotes the clause of the source document its target comes from.
      const acc = await server.api<{ rows: { org_unit: string; indicator: string; in_plan: boolean; source_clause: string | null }[] }>(
        `/api/v1/values?plan=${PLAN}&level=community`,
      );
      const clauses = acc.rows.filter((v) => v.org_unit === c.rows[0].org_unit && v.in_plan && v.source_clause).map((v) => `「${v.source_clause}」`);
      expect(clauses.length).toBeGreaterThan(3);
      expect((await page.locator('.sheet .clause').allTextContents()).sort()).toEqual(clauses.sort());
      expect(errors).toEqual([]);
      await page.close();
    }
    // In English (longer headers) every table still fits the A4 sheet.
    const en = await open(`print/${c.rows[0].org_unit}?lang=en`, { width: 1000, height: 1400 });
    await en.page.waitForSelector('[data-ready="1"]');
    const overflow = await en.page.locator('.sheet').first().evaluate((sheet) => {
      const inner = sheet.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(sheet).paddingRight);
      return [...sheet.querySelectorAll('table')].map((t) => Math.round(t.getBoundingClientRect().right - inner));
    });
    expect(overflow.length).toBeGreaterThanOrEqual(2);
    expect(overflow.every((px) => px <= 0)).toBe(true);
    // A value with its unit (207 ㎡/100 hh) stays on one line
    const wrapped = (await textLines(en.page.locator('.sheet td.r'))).filter((l) => l.lines > 1).map((l) => l.text);
    expect(wrapped).toEqual([]);
    expect(en.errors).toEqual([]);
    await en.page.close();
    const { page, errors } = await open(`print/${encodeURIComponent('不存在社区')}`);
    expect(await page.locator('#print-not-found').textContent()).toContain('未找到社区「不存在社区」');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('presentation mode is dark, full-screen and cycles overview, ranking and phase', async () => {
    const { page, errors } = await open('present?interval=2');
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const slide = (await page.locator('.present').getAttribute('data-slide'))!;
      seen.push(slide);
      await settled(page);
      await shot(page, `present-${slide}`);
      // Everything of a slide is on the screen: a projector cannot scroll.
      if (slide === 'ranking') {
        const bottom = await page.locator('.p-legend').evaluate((e) => e.getBoundingClientRect().bottom);
        expect(bottom).toBeLessThanOrEqual(1080);
      }
      // the phase slide says how many district indicators are projected to meet the plan-end target
      if (slide === 'phase') expect(await page.locator('#present-outlook').innerText()).toMatch(/^方案末预计达标 \d+ \/ \d+ 项$/);
      if (i < 2) await page.waitForFunction((s) => document.querySelector('.present')?.getAttribute('data-slide') !== s, slide, { timeout: 30_000 });
    }
    expect(seen).toEqual(['overview', 'ranking', 'phase']);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(11, 21, 38)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('presentation on a 1280 x 720 projector: the title and every button stay on one line, every slide fits the screen', async () => {
    const { page, errors } = await open('present?interval=600', { width: 1280, height: 720 });
    await page.waitForSelector('.p-head h1');
    const lines = await textLines(page.locator('.p-head h1, .p-head button, .p-head a'));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.filter((l) => l.lines > 1)).toEqual([]);
    // Nothing of the header leaves the screen; the full plan name is in the tooltip.
    const right = await page.locator('.p-head a').evaluate((e) => e.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(1280);
    expect(await page.locator('.p-sub').getAttribute('title')).toContain('实施方案');
    // A 720p projector cannot scroll: every slide fits the screen, and no value is cut short.
    for (let k = 0; k < 3; k++) {
      await page.locator('.p-dots button').nth(k).click();
      await settled(page);
      const fit = await page.evaluate(() => ({
        overflow: document.documentElement.scrollHeight - window.innerHeight,
        cut: [...document.querySelectorAll('.p-v2, .p-v3, .p-v')].filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent),
      }));
      expect(fit).toEqual({ overflow: 0, cut: [] });
      await shot(page, `present-720-${k + 1}`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});

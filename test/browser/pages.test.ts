// Every page of the dashboard on the sample district in headless Chromium:
// opens without console errors, its charts render (non-blank canvas), one
// number on it equals the API's value for the same query; a screenshot of
// each at 1920x1080 (and the overview at 1366x768) into test-artifacts/.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleName } from '../../client/lib/findings.ts';
import { STATUS, STATUS_ORDER } from '../../client/lib/status.ts';
import { chartsInked, HAS_CHROMIUM, launch, type Server, SKIP_MESSAGE, settled, shot, startServer, textLines, watch } from './harness.ts';

if (!HAS_CHROMIUM) console.warn(SKIP_MESSAGE);

interface ValueRowLite { org_unit: string; indicator_zh: string; unit: string; value: number | null; target_lo: number | null; in_plan: boolean; source_clause: string | null }
interface Ranked { org_unit: string; composite: number; rank: number; rating: string; accepted: boolean; dimensions: Record<string, number> }

describe.skipIf(!HAS_CHROMIUM)('dashboard pages (headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let period: string;
  const PLAN = 'sanshe-lab-2015';

  beforeAll(async () => {
    server = await startServer('pages');
    browser = await launch();
    period = (await server.api<{ latest: string }>('/api/v1/periods')).latest;
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(hash: string, size = { width: 1920, height: 1080 }, timezoneId?: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: size, timezoneId });
    const errors = watch(page);
    await page.goto(`${server.url}/#/${hash}`);
    await settled(page);
    return { page, errors };
  }
  const q = (level = 'community') => `plan=${PLAN}&period=${period}&level=${level}`;

  it('总览 overview: cards, ranking, radar, ratings; composite equals the API', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = watch(page);
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) asked.push(r.url().replace(server.url, ''));
    });
    // The page-level loading fallback (a direct child of <main>) would mean the first page was
    // mounted before its module arrived, and React holds a suspended page back 300 ms after it.
    await page.addInitScript(() => {
      const w = window as unknown as { __pageFallback: boolean };
      w.__pageFallback = false;
      new MutationObserver(() => {
        if (document.querySelector('main#main > .state.loading')) w.__pageFallback = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${server.url}/#/overview`);
    await settled(page);
    const inked = await chartsInked(page);
    expect(inked).toEqual({ ranking: true, radar: true, 'rating-dist': true });
    expect(await page.evaluate(() => (window as unknown as { __pageFallback: boolean }).__pageFallback)).toBe(false);
    // boot.js starts the page's requests before the bundle loads; the bundle finds them: nothing is asked twice.
    expect(asked.filter((u, i) => asked.indexOf(u) !== i)).toEqual([]);
    expect(asked).toContain('/api/v1/overview/charts');
    const d = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q('district')}`);
    expect(await page.locator('[data-indicator="composite"] .big').innerText()).toBe(d.rows[0].composite.toFixed(1));
    const rows = await page.locator('#ranking-table').getAttribute('data-rows');
    const c = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q()}`);
    expect(Number(rows)).toBe(c.rows.length);
    // the score table's own request (/scores?shape=columns): rank order, full scores, dimension scores
    const first = await page.locator('#ranking-table tbody tr').first().innerText();
    expect(first).toContain(c.rows[0].composite.toFixed(1));
    for (const v of Object.values(c.rows[0].dimensions)) expect(first).toContain(v.toFixed(1));
    // each unit's change since the quarter before, arrow and sign as the district card writes it, with its move in rank
    const periods = (await server.api<{ rows: { period: string }[] }>('/api/v1/periods')).rows.map((r) => r.period).sort();
    const before = (await server.api<{ rows: Ranked[] }>(`/api/v1/scores?plan=${PLAN}&period=${periods[periods.indexOf(period) - 1]}&level=community`)).rows;
    await page.waitForFunction(() => !!document.querySelector('#ranking-table tbody tr b.up, #ranking-table tbody tr b.down'));
    const cellsNow = await page.locator('#ranking-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const deltaCol = await page.locator('#ranking-table thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('较上季度')));
    for (const [i, row] of c.rows.slice(0, 8).entries()) {
      const b = before.find((x) => x.org_unit === row.org_unit)!;
      const d = row.composite - b.composite;
      const moved = b.rank - row.rank;
      expect(cellsNow[i][deltaCol]).toBe(`${d > 0 ? '▲ +' : d < 0 ? '▼ −' : '■ ±'}${Math.abs(d).toFixed(1)}${moved ? ` ${moved > 0 ? `↑${moved}` : `↓${-moved}`}` : ''}`);
    }
    // will the plan's end targets be met: the current phase's district indicators projected to, as /progress has them
    const card = page.locator('[data-indicator="outlook"]');
    await card.waitFor();
    const pr = await server.api<{ current_phase: string; phases: { idx: number; name: string }[]; rows: { phase_idx: number; reaches_plan_target: boolean | null }[] }>(`/api/v1/progress?${q('district')}`);
    const cur = pr.rows.filter((r) => r.phase_idx === pr.phases.find((x) => x.name === pr.current_phase)!.idx && r.reaches_plan_target !== null);
    expect(await card.locator('.big').innerText()).toBe(`${cur.filter((r) => r.reaches_plan_target).length} / ${cur.length}项`);
    expect(await card.locator('a').getAttribute('href')).toMatch(/^#\/phase/);
    // the ranking's key names each rating with its icon, as the bars' labels carry it
    expect(await page.locator('figure[data-chart="ranking"] .legend').innerText()).toMatch(/★ 优秀\s+▲ 良好\s+● 合格\s+✘ 不合格/);
    await shot(page, 'overview-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(500);
    await shot(page, 'overview-1366');
    // Nothing wider than the viewport at 1366.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    // On a phone the page list has a line of its own: most links show, the rest scroll sideways into view.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const nav = await page.locator('.top nav').evaluate((n) => ({ width: n.getBoundingClientRect().width }));
    expect(nav.width).toBeGreaterThan(350);
    const last = page.locator('.top nav a').last();
    await last.scrollIntoViewIfNeeded();
    const box = (await last.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await shot(page, 'overview-390');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('阶段进度 phase: timeline, matrix, projection; matrix rows equal the API', async () => {
    const { page, errors } = await open('phase');
    const inked = await chartsInked(page);
    expect(Object.values(inked).every(Boolean)).toBe(true);
    expect(Object.keys(inked)).toEqual(expect.arrayContaining(['projection', 'status-pie']));
    const p = await server.api<{ current_phase: string; phases: { idx: number; name: string }[]; rows: { org_unit: string; phase_idx: number; status: string }[] }>(`/api/v1/progress?${q()}`);
    const idx = p.phases.find((x) => x.name === p.current_phase)!.idx;
    const units = new Set(p.rows.filter((r) => r.phase_idx === idx).map((r) => r.org_unit));
    expect(Number(await page.locator('#progress-matrix').getAttribute('data-rows'))).toBe(units.size);
    expect(await page.locator('#progress-matrix .badge').count()).toBeGreaterThan(0);
    // Who is behind: each unit's targets behind or regressing, as /progress has them, the most first.
    const lag = new Map<string, number>();
    for (const r of p.rows) if (r.phase_idx === idx && (r.status === 'behind' || r.status === 'regressing')) lag.set(r.org_unit, (lag.get(r.org_unit) ?? 0) + 1);
    const lagCol = await page.locator('#progress-matrix thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('滞后/倒退')));
    const shownLag = await page.locator('#progress-matrix tbody tr').evaluateAll(
      (trs, col) => trs.map((tr) => [tr.querySelector('a')?.getAttribute('href') ?? '', tr.querySelectorAll('td')[col]?.textContent ?? ''] as const),
      lagCol,
    );
    const counts = shownLag.map(([, text]) => Number(text.replace('⚠', '').trim()));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBe(Math.max(...lag.values()));
    for (const [hrefText, text] of shownLag) {
      const code = /community\/(\d+)/.exec(hrefText)![1];
      expect(Number(text.replace('⚠', '').trim()), code).toBe(lag.get(code) ?? 0);
    }
    await shot(page, 'phase-1920');
    // The district outlook: every district indicator of the phase with its projections and verdicts, as the API has them
    const d = await server.api<{ rows: { indicator: string; phase_idx: number; proj_plan_end: number | null; reaches_plan_target: boolean | null; plan_target_lo: number | null; plan_target_hi: number | null }[] }>(`/api/v1/progress?${q('district')}`);
    const dRows = d.rows.filter((r) => r.phase_idx === idx);
    expect(Number(await page.locator('#outlook-table').getAttribute('data-rows'))).toBe(dRows.length);
    const reaching = dRows.filter((r) => r.reaches_plan_target).length;
    const judged = dRows.filter((r) => r.reaches_plan_target !== null).length;
    expect(await page.locator('#outlook-summary').innerText()).toBe(`方案末预计达标 ${reaching} / ${judged} 项`);
    const outlook = await page.locator('#outlook-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText)));
    expect(outlook.filter((c) => c[5].includes('✔ 可达标')).length).toBe(reaching);
    expect(outlook.filter((c) => c[5].includes('✘ 难达标')).length).toBe(judged - reaching);
    // beside it, the plan target it is judged against
    expect(outlook.map((c) => c[6])).toEqual(dRows.map((r) => (r.plan_target_lo === null && r.plan_target_hi === null ? '—' : expect.stringMatching(/^[≥≤] \S|\S – \S/))));
    // a row picks the projection chart's indicator
    const shown = await page.locator('#proj-indicator').inputValue();
    const pick = dRows.find((r) => r.indicator !== shown)!;
    await page.locator('#outlook-table tbody tr').nth(dRows.indexOf(pick)).click();
    await page.waitForFunction((id) => (document.querySelector('#proj-indicator') as HTMLSelectElement | null)?.value === id, pick.indicator);
    // Narrower, the indicators scroll sideways; the unit column stays in view, each name on one line.
    await page.setViewportSize({ width: 1280, height: 900 });
    const unitCell = page.locator('#progress-matrix tbody tr').first().locator('td').first();
    const before = (await unitCell.boundingBox())!;
    const scrolled = await page.locator('.matrix .table-scroll').evaluate((el) => {
      el.scrollLeft = 400;
      return el.scrollLeft;
    });
    expect(scrolled).toBeGreaterThan(0);
    const after = (await unitCell.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(1);
    expect((await unitCell.locator('a').boundingBox())!.height).toBeLessThan(30);
    // In the plan's first quarter there is no trend yet: said so, not extrapolated from the empty quarter before the plan.
    const first = (await server.api<{ rows: { period: string }[] }>('/api/v1/periods')).rows[0].period;
    await page.goto(`${server.url}/#/phase?plan=${PLAN}&period=${first}`);
    await settled(page);
    expect(await page.locator('#projection-note').textContent()).toBe('趋势外推需至少两个季度的数据');
    const firstRows = await server.api<{ rows: { indicator: string; phase_idx: number; proj_phase_end: number | null; proj_plan_end: number | null; base: number | null; value: number | null }[] }>(
      `/api/v1/progress?plan=${PLAN}&period=${first}&level=district`,
    );
    // the district's mean attainment of a community target: its baseline is the first quarter's own value (it was 0)
    const area = firstRows.rows.filter((r) => r.indicator === 'area_per_100_households');
    expect(area.length).toBeGreaterThan(0);
    for (const r of area) expect([r.proj_phase_end, r.proj_plan_end, r.base]).toEqual([null, null, r.value]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('社区 community detail: values, trend, radar, lineage; composite equals the API', async () => {
    const c = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q()}`);
    const unit = c.rows[0];
    const { page, errors } = await open(`community/${unit.org_unit}`);
    const inked = await chartsInked(page);
    expect(inked).toEqual({ trend: true, 'community-radar': true });
    expect(await page.locator('[data-indicator="composite"] .big').innerText()).toBe(unit.composite.toFixed(1));
    // Its rank among the communities, and how far the rank moves with the weights, as /scores has them.
    const mineScore = (await server.api<{ rows: { rank: number; of: number; rank_p5: number; rank_p95: number }[] }>(`/api/v1/scores?${q()}&unit=${unit.org_unit}`)).rows[0];
    expect(await page.locator('[data-indicator="rank"] .big').innerText()).toBe(`${mineScore.rank}/ ${mineScore.of}`);
    expect(await page.locator('#rank-interval').innerText()).toBe(
      mineScore.rank_p5 === mineScore.rank_p95 ? '✔ 权重变化时排名不变' : `⚠ 随权重在第 ${mineScore.rank_p5}–${mineScore.rank_p95} 名之间`,
    );
    // The trend opens on the first target behind or regressing; clicking a row shows that target's trend.
    const vals = (await server.api<{ rows: { org_unit: string; indicator: string; in_plan: boolean; status: string | null }[] }>(`/api/v1/values?${q()}&unit=${unit.org_unit}`)).rows.filter(
      (v) => v.org_unit === unit.org_unit && v.in_plan,
    );
    const lagging = vals.find((v) => v.status === 'behind' || v.status === 'regressing');
    expect(await page.locator('#trend-indicator').inputValue()).toBe((lagging ?? vals[0]).indicator);
    const perYear = vals.find((v) => v.indicator === 'orgs_new_in_year')!;
    expect(perYear).toBeDefined();
    const perYearRow = page.locator('#community-values tbody tr', { hasText: '本年新培育社会组织数' });
    await perYearRow.locator('td').first().click();
    await page.waitForFunction(() => (document.querySelector('#trend-indicator') as HTMLSelectElement | null)?.value === 'orgs_new_in_year');
    expect(await perYearRow.getAttribute('class')).toContain('selected');
    await chartsInked(page);
    // An annual target's trend says the dashed line is the part due by each quarter, as /series gives it.
    const shown = await page.locator('#trend-indicator').inputValue();
    const ser = await server.api<{ rows: { target_lo: number | null; target_effective_lo: number | null }[] }>(`/api/v1/series?plan=${PLAN}&unit=${unit.org_unit}&indicator=${shown}`);
    const proRata = ser.rows.some((r) => r.target_effective_lo !== r.target_lo);
    expect(proRata).toBe(true);
    expect(await page.locator('figure[data-chart="trend"] > div[role="img"]').getAttribute('aria-label')).toContain('虚线为按进度折算的当期应达目标');
    // Each target's projection to the plan end with its verdict, as /progress has it for this community's current phase
    const pr = await server.api<{ current_phase: string; phases: { idx: number; name: string }[]; rows: { org_unit: string; phase_idx: number; reaches_plan_target: boolean | null }[] }>(
      `/api/v1/progress?${q()}&unit=${unit.org_unit}`,
    );
    const mineNow = pr.rows.filter((r) => r.org_unit === unit.org_unit && r.phase_idx === pr.phases.find((x) => x.name === pr.current_phase)!.idx);
    expect(mineNow.length).toBeGreaterThan(0);
    await page.waitForFunction(() => !!document.querySelector('#community-values .verdict'));
    const verdicts = await page.locator('#community-values tbody .verdict').allInnerTexts();
    expect(verdicts.filter((x) => x === '✔ 可达标').length).toBe(mineNow.filter((r) => r.reaches_plan_target === true).length);
    expect(verdicts.filter((x) => x === '✘ 难达标').length).toBe(mineNow.filter((r) => r.reaches_plan_target === false).length);
    // Every value opens its lineage: batch, file, sheet, rows.
    await page.locator('button[data-lineage]').first().click();
    await page.waitForSelector('#lineage-table tbody tr', { timeout: 60_000 });
    const firstRow = await page.locator('#lineage-table tbody tr').first().innerText();
    expect(firstRow).toMatch(/#\d+/);
    // The drawer says how the number is computed, and names registers in Chinese.
    const ind = (await page.locator('button[data-lineage]').first().getAttribute('data-lineage'))!.split(':')[1];
    const plan = await server.api<{ indicators: { id: string; formula: string }[] }>(`/api/v1/plans/${PLAN}`);
    expect(await page.locator('#lineage-formula').textContent()).toBe(plan.indicators.find((i) => i.id === ind)!.formula);
    const lin = await server.api<{ rows: { table: string; table_label: string }[] }>(`/api/v1/lineage?plan=${PLAN}&unit=${unit.org_unit}&indicator=${ind}&period=${period}`);
    expect(lin.rows.some((r) => firstRow.includes(r.table_label))).toBe(true);
    expect(lin.rows.some((r) => firstRow.includes(r.table))).toBe(false);
    // above the list, one line per register, file and sheet with its rows: they add up to the list
    const lines = await page.locator('#lineage-summary li').allInnerTexts();
    const groups = new Set((lin.rows as unknown as { table: string; file_id: number; sheet: string | null }[]).map((r) => `${r.table}:${r.file_id}:${r.sheet}`));
    expect(lines.length).toBe(Math.min(8, groups.size));
    const counted = lines.map((l) => Number(/(?:共|之间的) ([\d,]+) 行$/.exec(l)?.[1].replace(/,/g, '') ?? (/第 \d+ 行$/.test(l) ? 1 : Number.NaN)));
    if (groups.size <= 8) expect(counted.reduce((x, y) => x + y, 0)).toBe(lin.rows.length);
    await shot(page, 'community-lineage-1920');
    await page.keyboard.press('Escape');
    await shot(page, 'community-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('社区 at 1280 px: numbers with their units stay on one line in the tables', async () => {
    const f = await server.api<{ rows: { org_unit: string }[] }>('/api/v1/quality/findings');
    const counts = new Map<string, number>();
    for (const r of f.rows) counts.set(r.org_unit, (counts.get(r.org_unit) ?? 0) + 1);
    const unit = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const { page, errors } = await open(`community/${unit}`, { width: 1280, height: 800 });
    await page.waitForSelector('#community-findings tbody tr');
    const lines = await textLines(page.locator('td[style*="text-align: right"]'));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => l.lines > 1)).toEqual([]);
    // The plan's source document and the data's source file are told apart
    const lastHeader = (id: string) => page.locator(`#${id} thead th`).last().textContent();
    expect(await lastHeader('community-values')).toContain('依据文件');
    expect(await page.locator('#community-values tbody tr td:last-child').first().textContent()).toMatch(/\.txt/);
    // A seed file is cited by its short title beside the file name, the full title in its tooltip.
    const doc = page.locator('#community-values tbody .source-doc[data-file="003_2c62b06a88ff33d5.txt"]').first();
    expect(await doc.innerText()).toBe('《实验区实施方案》 003_2c62b06a88ff33d5.txt');
    expect(await doc.getAttribute('title')).toContain('《关于创建“全国社区治理和服务创新实验区”实施方案》');
    // Each target cites its source document's clause; a rate's gap is in percentage points.
    const vals = (await server.api<{ rows: ValueRowLite[] }>(`/api/v1/values?${q()}`)).rows.filter((v) => v.org_unit === unit && v.in_plan);
    const cells = await page.locator('#community-values tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const gapCol = await page.locator('#community-values thead th').evaluateAll((ths) => ths.findIndex((th) => th.textContent?.includes('差距')));
    expect(cells.length).toBe(vals.length);
    const clauses = vals.filter((v) => v.source_clause);
    expect(clauses.length).toBeGreaterThan(3);
    for (const v of clauses) expect(cells.some((c) => c.at(-1)!.includes(`「${v.source_clause}」`))).toBe(true);
    const rateGaps = vals.filter((v) => v.unit === '%' && v.value !== null && v.target_lo !== null && v.value < v.target_lo);
    expect(rateGaps.length).toBeGreaterThan(0);
    for (const v of rateGaps) {
      const row = cells.find((c) => c[0] === v.indicator_zh)!;
      expect(row[gapCol]).toBe(`−${((v.target_lo! - v.value!) * 100).toFixed(1)}个百分点`);
    }
    expect(await lastHeader('community-findings')).toContain('数据来源');
    expect(await page.locator('#community-findings tbody tr td:last-child').first().textContent()).toMatch(/\.(csv|xlsx)/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('社区 in a quarter it sent nothing: the 0.0 is explained as missing data, not shown as its work', async () => {
    const f = await server.api<{ rows: { rule: string; org_unit: string; period: string }[] }>(`/api/v1/quality/findings?plan=${PLAN}`);
    const missing = f.rows.find((r) => r.rule === 'missing_export' && r.org_unit.length === 12)!;
    expect(missing).toBeTruthy();
    const { page, errors } = await open(`community/${missing.org_unit}?period=${missing.period}`);
    await page.waitForSelector('#community-values tbody tr');
    expect(await page.locator('#community-no-export').textContent()).toContain('没有报送任何数据');
    expect(await page.locator('[data-indicator="composite"] .big').textContent()).toBe('0.0');
    // and its acceptance sheet says so too
    await page.goto(`${server.url}/#/print/${missing.org_unit}?period=${missing.period}`);
    await page.waitForSelector('[data-ready="1"]');
    expect(await page.locator('.sheet .no-export').textContent()).toContain('未报送任何数据');
    // the quarter before, with its exports: no such notice
    const prev = `${missing.period.slice(0, 4)}Q${Number(missing.period.slice(5)) - 1}`;
    await page.goto(`${server.url}/#/community/${missing.org_unit}?period=${Number(missing.period.slice(5)) > 1 ? prev : `${Number(missing.period.slice(0, 4)) - 1}Q4`}`);
    await settled(page);
    await page.waitForSelector('#community-values tbody tr');
    expect(await page.locator('#community-no-export').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('社区 by name: a shared link with the name opens the community; an unknown one says so and lists the communities', async () => {
    const c = await server.api<{ rows: (Ranked & { name: string })[] }>(`/api/v1/scores?${q()}`);
    const unit = c.rows[c.rows.length - 1];
    const { page, errors } = await open(`community/${encodeURIComponent(unit.name)}`);
    await page.waitForSelector('[data-indicator="composite"] .big');
    expect(await page.locator('[data-indicator="composite"] .big').textContent()).toBe(unit.composite.toFixed(1));
    expect(await page.locator('#community-pick').inputValue()).toBe(unit.org_unit);
    await page.goto(`${server.url}/#/community/${encodeURIComponent('不存在社区')}`);
    await settled(page);
    expect(await page.locator('#community-not-found').textContent()).toContain('未找到社区「不存在社区」');
    expect(await page.locator('.panel a.btn').count()).toBe(c.rows.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('街道对比 streets: side by side and heatmap; street composites equal the API', async () => {
    const { page, errors } = await open('streets');
    const inked = await chartsInked(page);
    expect(inked).toEqual({ 'streets-bars': true, 'streets-heatmap': true });
    const s = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q('street')}`);
    for (const r of s.rows) expect(await page.locator(`[data-unit="${r.org_unit}"] .big`).innerText()).toBe(r.composite.toFixed(1));
    // The table's icon-only status badges have a key beside it: every status with its icon and label
    const section = page.locator('section[aria-labelledby="streets-values-cap"]');
    const legend = await section.locator('.legend .badge').evaluateAll((els) => els.map((e) => [e.className, e.textContent ?? ''] as const));
    expect(legend.map(([, text]) => text)).toEqual(STATUS_ORDER.map((st) => `${STATUS[st].icon}${STATUS[st].zh}`));
    const used = await section.locator('tbody .badge').evaluateAll((els) => [...new Set(els.map((e) => e.className))]);
    expect(used.length).toBeGreaterThan(1);
    for (const c of used) expect(legend.map(([cls]) => cls)).toContain(c);
    // Each indicator says how the street's value comes from its communities', as the API does.
    const v = await server.api<{ rows: { indicator_zh: string; rollup: 'sum' | 'mean' | 'ratio'; in_plan: boolean }[] }>(`/api/v1/values?${q('street')}`);
    const label = { sum: '各社区合计', mean: '社区平均', ratio: '按合计计算' };
    const expected = [...new Set(v.rows.filter((r) => r.in_plan).map((r) => `${r.indicator_zh}${label[r.rollup]}`))];
    const cells = await section.locator('tbody tr td:first-child').evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells.sort()).toEqual(expected.sort());
    expect(new Set(v.rows.map((r) => r.rollup))).toEqual(new Set(['sum', 'mean', 'ratio']));
    // A community target seen from a street shows how many communities meet it (the spec's coverage beside the value).
    const cov = await server.api<{ rows: { org_unit: string; indicator_zh: string; in_plan: boolean; coverage: number | null; n_units: number }[] }>(`/api/v1/values?${q('street')}`);
    const want = cov.rows.filter((r) => r.in_plan && r.coverage !== null).map((r) => `${r.indicator_zh}|${Math.round(r.coverage! * r.n_units)}/${r.n_units}`);
    expect(want.length).toBeGreaterThan(10);
    const shown = await section.locator('tbody tr').evaluateAll((trs) =>
      trs.flatMap((tr) => [...tr.querySelectorAll('[data-coverage]')].map((el) => `${tr.querySelector('td')?.firstChild?.textContent ?? ''}|${el.getAttribute('data-coverage')}`)),
    );
    expect(shown.sort()).toEqual(want.sort());
    // A street's card leads to the ranking of its own communities.
    const street = s.rows[0].org_unit;
    await page.locator(`[data-unit="${street}"] a.street-communities`).click();
    await page.waitForFunction((code) => (document.querySelector('#ctl-street') as HTMLSelectElement | null)?.value === code, street);
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('总览');
    await page.goBack();
    expect(await section.locator('[data-coverage]').first().textContent()).toMatch(/^\d+\/\d+ 个社区达标$/);
    await shot(page, 'streets-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('验收 acceptance: passed count equals the API', async () => {
    const { page, errors } = await open('acceptance');
    await chartsInked(page);
    const a = await server.api<{ rows: { accepted: boolean }[] }>(`/api/v1/acceptance?${q()}`);
    expect(await page.locator('[data-indicator="accepted-count"] .big').innerText()).toBe(`${a.rows.filter((r) => r.accepted).length} / ${a.rows.length}`);
    // The results panel ends with its table: no blank band when the side column is taller.
    const band = await page.locator('#acceptance-table').evaluate((t) => {
      const wrap = t.closest('.table-wrap')!.getBoundingClientRect();
      return wrap.bottom - t.closest('.table-scroll')!.getBoundingClientRect().bottom;
    });
    expect(band).toBeLessThan(30);
    // Which community passes which requirement: one row per unit, a column per requirement, each header
    // counting the units whose attainment is complete (the API's), and as many ✔ cells below it
    expect(Number(await page.locator('#acceptance-matrix').getAttribute('data-rows'))).toBe(a.rows.length);
    const vals = (await server.api<{ rows: { indicator: string; in_plan: boolean; target_kind: string | null; attainment: number | null; value: number | null }[] }>(`/api/v1/values?${q()}&in_plan=true`)).rows.filter((v) => v.target_kind);
    const heads = await page.locator('#acceptance-matrix thead th [data-passing]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-passing'))));
    const cells = await page.locator('#acceptance-matrix tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent ?? '')));
    const reqIds = [...new Set(vals.map((v) => v.indicator))];
    expect(heads.length).toBe(reqIds.length);
    heads.forEach((n, i) => {
      expect(cells.filter((c) => c[i].startsWith('✔')).length).toBe(n);
    });
    expect(heads.reduce((x, y) => x + y, 0)).toBe(vals.filter((v) => v.value !== null && v.attainment !== null && v.attainment >= 0.9999).length);
    expect(cells.flat().filter((c) => c.startsWith('✘')).length).toBe(vals.filter((v) => v.value !== null && !(v.attainment !== null && v.attainment >= 0.9999)).length);
    await shot(page, 'acceptance-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('验收 at 1366 px: every requirement value and target with its unit on one line', async () => {
    const { page, errors } = await open('acceptance', { width: 1366, height: 900 });
    await page.waitForSelector('#acceptance-requirements tbody tr');
    // 223㎡/百户 broke after 百 in the side panel.
    const req = await textLines(page.locator('#acceptance-requirements tbody td:nth-child(2), #acceptance-requirements tbody td:nth-child(3)'));
    expect(req.length).toBeGreaterThan(10);
    expect(req.filter((c) => c.lines > 1)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('数据质量 quality: completeness matrix and findings; finding count equals the API', async () => {
    const { page, errors } = await open('quality');
    const inked = await chartsInked(page);
    expect(inked).toEqual({ completeness: true });
    const f = await server.api<{ rows: unknown[] }>(`/api/v1/quality/findings?period=${period}`);
    expect(Number(await page.locator('#findings-table').getAttribute('data-rows'))).toBe(f.rows.length);
    // The table's head says its count once, beside the caption (not also inside it).
    expect(await page.locator('#findings-table-cap').innerText()).toBe('规则校验与异常值');
    expect(await page.locator('#findings-table-cap + span').innerText()).toBe(String(f.rows.length));
    // values in their indicator's unit: the volunteer rate as a percentage, not a fraction
    const cells = await page.locator('#findings-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const rates = cells.filter((c) => c[3] === '志愿者注册率');
    expect(rates.length).toBeGreaterThan(0);
    for (const c of rates) expect(c[4]).toMatch(/^\d+(\.\d)?%$/);
    // a low outlier's z with the minus sign (U+2212), as every number on the dashboard
    const zs = cells.map((c) => c[5]).filter((d) => d.startsWith('z = '));
    expect(zs.some((d) => d.startsWith('z = −'))).toBe(true);
    expect(zs.filter((d) => d.includes('-'))).toEqual([]);
    await shot(page, 'quality-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('打印 a dashboard page prints whole: every row, charts as pictures fitted to the paper, no navigation or buttons, the print time', async () => {
    const { page, errors } = await open('phase');
    await chartsInked(page);
    const box = page.locator('.matrix .table-scroll');
    const clipped = () => box.evaluate((el) => el.scrollHeight - el.clientHeight);
    expect(await clipped()).toBeGreaterThan(0); // on screen the 36 rows scroll
    await page.emulateMedia({ media: 'print' });
    await page.locator('#print-stamp').waitFor();
    expect(await clipped()).toBeLessThanOrEqual(1);
    expect(await page.locator('.top nav').isVisible()).toBe(false);
    expect(await page.locator('.btn:visible').count()).toBe(0);
    expect(await page.locator('#print-stamp').textContent()).toMatch(/打印于 \d{4}\/\d{1,2}\/\d{1,2} \d{2}:\d{2}/);
    // column headers stay (the sort marks go)
    expect(await page.locator('#progress-matrix thead th').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/^每百户服务设施面积$/)]));
    // each chart is a picture of its drawing, in proportion, within the paper's width
    const charts = await page.locator('figure[data-chart]').evaluateAll((figs) =>
      figs.map((f) => {
        const img = f.querySelector('img.print-img') as HTMLImageElement | null;
        const r = img?.getBoundingClientRect();
        return {
          img: !!img && img.src.startsWith('data:image/png') && img.naturalWidth > 0,
          canvasShown: (f.querySelector('[role="img"]') as HTMLElement).offsetParent !== null,
          ratio: img && r ? r.width / r.height / (img.naturalWidth / img.naturalHeight) : 0,
          inside: !!r && r.right <= document.documentElement.clientWidth + 1,
        };
      }),
    );
    expect(charts.length).toBeGreaterThan(1);
    for (const c of charts) {
      expect(c).toEqual({ img: true, canvasShown: false, ratio: expect.any(Number), inside: true });
      expect(c.ratio).toBeCloseTo(1, 1);
    }
    await shot(page, 'phase-print');
    // on landscape A4 (842 × 596 pt): the dashboard's wide tables fit the page's width
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    const boxes = [...pdf.matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(1);
    expect(new Set(boxes.map((b) => b.join('x')))).toEqual(new Set(['843x596']));
    await page.emulateMedia({ media: 'screen' });
    await page.locator('#print-stamp').waitFor({ state: 'detached' });
    expect(await clipped()).toBeGreaterThan(0);
    // A long table is virtual on screen (rows in view only) and whole on paper.
    await page.goto(`${server.url}/#/quality`);
    await settled(page);
    await page.locator('#findings-table').waitFor();
    await page.getByRole('checkbox', { name: /^仅 / }).uncheck();
    const all = (await server.api<{ rows: unknown[] }>(`/api/v1/quality/findings?plan=${PLAN}`)).rows.length;
    expect(all).toBeGreaterThan(120);
    await page.waitForFunction((n) => document.querySelector('#findings-table')?.getAttribute('data-rows') === String(n), all);
    const drawn = () => page.locator('#findings-table tbody tr:not(.spacer-row)').count();
    expect(await drawn()).toBeLessThan(all);
    await page.emulateMedia({ media: 'print' });
    await page.locator('#print-stamp').waitFor();
    expect(await drawn()).toBe(all);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('数据导入 import: history equals the API', async () => {
    // A reader in Beijing sees Beijing time (the store holds UTC).
    const { page, errors } = await open('import', undefined, 'Asia/Shanghai');
    await page.waitForSelector('#history-table');
    // A visitor without an import account is told how one is made.
    expect(await page.locator('#login-help').innerText()).toContain('npm run --silent sanshe -- user add 用户名 --role staff');
    const b = await server.api<{ rows: { started_at: string; finished_at: string | null }[] }>('/api/v1/batches');
    expect(Number(await page.locator('#history-table').getAttribute('data-rows'))).toBe(b.rows.length);
    // Status and source read as words, not stored codes.
    const sampleRow = (await page.locator('#history-table tbody tr').last().textContent()) ?? '';
    expect(sampleRow).toContain('✔ 已入库');
    expect(sampleRow).toContain('示例数据');
    expect(sampleRow).not.toContain('committed');
    const at = b.rows.at(-1)!.finished_at ?? b.rows.at(-1)!.started_at;
    expect(sampleRow).toContain(new Date(at).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }));
    await shot(page, 'import-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('方法说明 methodology: definitions and sensitivity; indicator count equals the API', async () => {
    const { page, errors } = await open('methodology');
    const inked = await chartsInked(page);
    expect(inked).toEqual({ sensitivity: true });
    const p = await server.api<{ indicators: unknown[] }>(`/api/v1/plans/${PLAN}`);
    expect(Number(await page.locator('#methodology-table').getAttribute('data-rows'))).toBe(p.indicators.length);
    expect(await page.locator('#methodology-table .tag').count()).toBeGreaterThan(0);
    // Each formula is one box, also when it wraps (inline boxes per line overlapped the lines above).
    const formulaBoxes = await page.locator('#methodology-table .code').evaluateAll((els) => els.map((e) => e.getClientRects().length));
    expect(formulaBoxes.length).toBe(p.indicators.length);
    expect(formulaBoxes.every((n) => n === 1)).toBe(true);
    // The data-quality rules, each with its method, as the findings name them
    const f = await server.api<{ rules: Record<string, string> }>(`/api/v1/quality/findings?period=${period}&rule=missing_export`);
    await page.waitForSelector('#quality-rules li');
    const rules = await page.locator('#quality-rules li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-rule'), e.textContent]));
    expect(rules.map(([id]) => id).sort()).toEqual(Object.keys(f.rules).sort());
    for (const [id, text] of rules) expect(text).toContain(f.rules[id!]);
    const catalogue = await server.api<{ quality_method: { zh: string }; progress_method: { term: { zh: string }; zh: string }[] }>('/api/v1/indicators');
    expect(await page.locator('#quality-method').innerText()).toBe(catalogue.quality_method.zh);
    // How a progress status and a projection are decided, term by term (the phase page's words)
    const terms = await page.locator('#progress-method dt').allInnerTexts();
    expect(terms).toEqual(catalogue.progress_method.map((r) => r.term.zh));
    expect(terms).toEqual(expect.arrayContaining(['基线', '状态', '趋势外推']));
    expect(await page.locator('#progress-method dd').allInnerTexts()).toEqual(catalogue.progress_method.map((r) => r.zh));
    for (const word of ['达标', '按进度', '滞后', '倒退', '无数据', '可达标', '难达标']) expect(catalogue.progress_method.some((r) => r.zh.includes(word)), word).toBe(true);
    // The source documents: one row each, with how many of this plan's indicators cite it (as the API counts them).
    const sources = (await server.api<{ sources: { file: string; zh: string; cited_by: { plans: { id: string; plan: boolean; indicators: string[] }[] } }[] }>('/api/v1/indicators')).sources;
    const docRows = await page.locator('#source-documents tbody tr').evaluateAll((trs) => trs.map((tr) => ({ file: tr.getAttribute('data-file') ?? '', n: Number(tr.getAttribute('data-cited')), text: tr.textContent ?? '' })));
    expect(docRows.map((r) => r.file)).toEqual(sources.map((d) => d.file));
    for (const { file, n, text } of docRows) {
      const d = sources.find((x) => x.file === file)!;
      const cites = d.cited_by.plans.find((c) => c.id === PLAN);
      expect(n, file).toBe(cites?.indicators.length ?? 0);
      expect(text).toContain(`《${d.zh}》`);
      expect(text).toContain(`${n} 项指标`);
      expect(text.includes('方案本身'), file).toBe(!!cites?.plan);
    }
    expect(docRows.some((r) => r.n > 5)).toBe(true);
    await shot(page, 'methodology-1920');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('English switch keeps the numbers', async () => {
    const { page, errors } = await open('overview?lang=en');
    await chartsInked(page);
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Overview');
    const d = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q('district')}`);
    expect(await page.locator('[data-indicator="composite"] .big').innerText()).toBe(d.rows[0].composite.toFixed(1));
    // Long English card names wrap instead of being cut off.
    const clipped = await page.locator('.card .label').evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    expect(clipped).toEqual([]);
    await shot(page, 'overview-en-1920');
    // Data-quality rules read as English sentences, not rule ids.
    await page.goto(`${server.url}/#/quality?lang=en`);
    await settled(page);
    await page.waitForSelector('#findings-table tbody tr');
    const f = await server.api<{ rules_en: Record<string, string>; rows: { rule: string; rule_en: string; detail_en: string }[] }>(`/api/v1/quality/findings?period=${period}`);
    const text = (await page.locator('#findings-table tbody').textContent()) ?? '';
    expect(f.rows.length).toBeGreaterThan(0);
    for (const id of new Set(f.rows.map((r) => r.rule))) expect(text).not.toContain(id);
    // the rule's name in the cell, its method in the tooltip; the detail in English
    expect(f.rows.some((r) => text.includes(ruleName(r.rule_en)))).toBe(true);
    const titles = await page.locator('#findings-table tbody td:first-child span[title]').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => Object.values(f.rules_en).includes(t ?? ''))).toBe(true);
    expect(f.rows.some((r) => r.detail_en && text.includes(r.detail_en))).toBe(true);
    const details = await page.locator('#findings-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[5]?.textContent ?? ''));
    expect(details.filter((d) => /[\u4e00-\u9fff]/.test(d))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('English pages use ASCII punctuation: no full-width colon, bracket, semicolon or comma beside Latin text or digits', async () => {
    // Chinese data (names, quoted clauses) keeps its own punctuation; what the
    // page itself writes around it follows the page's language.
    const { rows } = await server.api<{ rows: Ranked[] }>(`/api/v1/scores?${q()}`);
    const unit = rows[0].org_unit;
    const routes = ['overview', 'phase', `community/${unit}`, 'streets', 'acceptance', 'quality', 'import', 'methodology', `print/${unit}`, 'print/district', 'present'];
    const bad = /[A-Za-z0-9)%][：（）；，]|[：（）；，][A-Za-z0-9(]/g;
    const found: string[] = [];
    for (const r of routes) {
      const { page, errors } = await open(`${r}?lang=en`);
      await page.waitForFunction(() => !document.querySelector('.state.loading'), undefined, { timeout: 60_000 });
      const texts = await page.evaluate(() => [document.body.innerText, ...[...document.querySelectorAll('[aria-label], [title]')].map((e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`)]);
      for (const t of texts) for (const m of t.matchAll(bad)) found.push(`${r}: …${t.slice(Math.max(0, m.index - 20), m.index + 20)}…`);
      expect(errors).toEqual([]);
      await page.close();
    }
    expect(found).toEqual([]);
  });
});

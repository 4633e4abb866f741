// Every preset loads; every plan-file error gets a message naming the file,
// the path inside it and the problem.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan, PlanError, PRESETS, parsePlan } from '../../../metrics/plans/load.ts';
import { planDefaults } from '../../../metrics/report/compute.ts';

const GOOD = `
id: my-plan
name: 我的计划
source: 003_2c62b06a88ff33d5.txt
start: 2015-07-01
end: 2018-06-30
units: all
dimensions: [{ id: orgs, weight: 25 }, { id: volunteers, weight: 15 }]
phases: [{ name: 一, start: 2015-07-01, end: 2016-06-30 }, { name: 二, start: 2016-07-01, end: 2018-06-30 }]
indicators:
  - { id: orgs_active, target: { min: 10 } }
  - { id: volunteer_rate, target: { by_area_type: { urban: { min: 0.15 }, rural: { min: 0.1 } } } }
`;

function problems(text: string, file = 'bad.yaml', format: 'yaml' | 'json' = 'yaml'): string[] {
  try {
    parsePlan(text, file, format);
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    return (err as PlanError).problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
  }
  throw new Error('expected the plan to be rejected');
}
const edit = (from: string, to: string) => GOOD.replace(from, to);

describe('presets', () => {
  it.each(PRESETS)('%s loads', (id) => {
    const p = loadPlan(id);
    expect(p.id).toBe(id);
    expect(p.indicators.length).toBeGreaterThan(0);
  });

  it('seed targets are in the presets', () => {
    const h = loadPlan('harmony-pilot-2013');
    expect(h.indicators.find((i) => i.id === 'volunteer_rate')?.target.by_area_type).toEqual({ urban: { min: 0.15 }, rural: { min: 0.1 } });
    const n = loadPlan('national-community-service');
    expect(n.indicators.find((i) => i.id === 'orgs_active')?.target.by_area_type).toEqual({ urban: { min: 10 }, rural: { min: 5 } });
    expect(n.indicators.find((i) => i.id === 'area_per_100_households')?.target).toEqual({ min: 30 });
  });

  it('plan defaults are marked as such', () => {
    const s = loadPlan('sanshe-lab-2015');
    const d = planDefaults(s);
    expect(d).toContain('indicators.satisfaction_rate.target');
    expect(d).toContain('indicators.joint_meetings_in_quarter.target');
    expect(d).toContain('dimensions.orgs.weight');
    expect(d).not.toContain('indicators.orgs_new_in_year.target');
  });

  it('a user plan loads from a file (YAML and JSON)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    writeFileSync(join(dir, 'p.yaml'), GOOD);
    expect(loadPlan(join(dir, 'p.yaml')).id).toBe('my-plan');
    writeFileSync(join(dir, 'p.json'), JSON.stringify(parsePlan(GOOD, 'x').indicators && { ...JSON.parse(JSON.stringify(parsePlan(GOOD, 'x'))), file: undefined }));
    expect(loadPlan(join(dir, 'p.json')).id).toBe('my-plan');
  });
});

describe('plan file errors', () => {
  it('missing file', () => {
    expect(() => loadPlan('/no/such/plan.yaml')).toThrow(/plan\.yaml: \(根\): 找不到计划文件/);
  });
  it('YAML syntax', () => {
    expect(problems('id: [unclosed')[0]).toMatch(/^bad\.yaml: : 文件不是有效的 YAML/);
  });
  it('JSON syntax', () => {
    expect(problems('{"id": ', 'bad.json', 'json')[0]).toMatch(/^bad\.json: : 文件不是有效的 JSON/);
  });
  it('missing field', () => {
    expect(problems(edit('name: 我的计划\n', ''))).toEqual([expect.stringMatching(/^bad\.yaml: name: /)]);
  });
  it('wrong type', () => {
    expect(problems(edit('min: 10', 'min: ten'))).toEqual([expect.stringMatching(/^bad\.yaml: indicators\[0\]\.target\.min: .*number/i)]);
  });
  it('unknown key', () => {
    expect(problems(edit('min: 10', 'minimum: 10'))[0]).toMatch(/^bad\.yaml: indicators\[0\]\.target: .*minimum/);
  });
  it('bad date', () => {
    expect(problems(edit('start: 2015-07-01\n', 'start: 2015/07/01\n'))[0]).toMatch(/^bad\.yaml: start: 日期应为 YYYY-MM-DD/);
  });
  it('bad unit code', () => {
    expect(problems(edit('units: all', 'units: ["1403"]'))[0]).toMatch(/^bad\.yaml: units\[0\]: 区划代码应为/);
  });
  it('unknown indicator', () => {
    expect(problems(edit('id: orgs_active', 'id: orgs_actve'))).toEqual(['bad.yaml: indicators[0].id: 未知指标「orgs_actve」 (unknown indicator)']);
  });
  it('two target forms', () => {
    expect(problems(edit('min: 10', 'min: 10, max: 20'))[0]).toMatch(/^bad\.yaml: indicators\[0\]\.target: 目标须恰好给出/);
  });
  it('empty target', () => {
    expect(problems(edit('{ min: 10 }', '{}'))[0]).toMatch(/^bad\.yaml: indicators\[0\]\.target: 目标须恰好给出/);
  });
  it('range upside down', () => {
    expect(problems(edit('{ min: 10 }', '{ range: [7, 5] }'))[0]).toMatch(/indicators\[0\]\.target\.range: 区间下限大于上限/);
  });
  it('bool target on a count', () => {
    expect(problems(edit('{ min: 10 }', '{ bool: true }'))[0]).toMatch(/indicators\[0\]\.target\.bool: .*bool target on a numeric/);
  });
  it('dimension without a weight', () => {
    expect(problems(edit('{ id: volunteers, weight: 15 }', '{ id: platform, weight: 15 }'))[0]).toMatch(/indicators\[1\]\.dimension: 维度「volunteers」/);
  });
  it('end before start', () => {
    expect(problems(edit('end: 2018-06-30\nunits', 'end: 2015-01-01\nunits'))).toContainEqual(expect.stringMatching(/^bad\.yaml: end: 结束日期须晚于开始日期/));
  });
  it('overlapping phases', () => {
    expect(problems(edit('start: 2016-07-01, end: 2018-06-30', 'start: 2016-06-01, end: 2018-06-30'))[0]).toMatch(/phases\[1\]\.start: 阶段须按时间顺序/);
  });
  it('milestone for an unknown phase', () => {
    expect(problems(edit('target: { min: 10 } }', 'target: { min: 10 }, milestones: { 三: 5 } }'))[0]).toMatch(/indicators\[0\]\.milestones\.三: 没有名为「三」的阶段/);
  });
  it('wrong level', () => {
    expect(problems(edit('target: { min: 10 } }', 'level: district, target: { min: 10 } }'))[0]).toMatch(/indicators\[0\]\.level: .*community/);
  });
  it('duplicate indicator', () => {
    expect(problems(GOOD + '  - { id: orgs_active, target: { min: 5 } }\n')[0]).toMatch(/indicators\[2\]\.id: 指标「orgs_active」重复/);
  });
  it('negative weight', () => {
    expect(problems(edit('target: { min: 10 } }', 'weight: -1, target: { min: 10 } }'))[0]).toMatch(/^bad\.yaml: indicators\[0\]\.weight: /);
  });
});

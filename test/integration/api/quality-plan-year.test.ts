// Data-quality findings are read beside a plan: a per-year indicator (new
// organisations, new volunteer leaders "in the plan year") counts from that
// plan's year start, so a finding's value is the value the dashboard shows
// for the same unit, period and plan. Calendar years gave other numbers (15
// leaders in a finding, 22 on the community page). The whole sample district:
// the history rule needs earlier quarters.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATOR_BY_ID } from '../../../metrics/catalogue/index.ts';
import { DEFAULT_PLAN } from '../../../metrics/plans/default.ts';
import { type Agent, buildFixture, type Fixture, login } from './setup.ts';

const PERIODS = ['2015Q3', '2015Q4', '2016Q1', '2016Q2', '2016Q3', '2016Q4', '2017Q1', '2017Q2', '2017Q3', '2017Q4', '2018Q1', '2018Q2'];

let fx: Fixture;
let leader: Agent;
beforeAll(async () => {
  fx = await buildFixture({ periods: PERIODS });
  leader = (await login(fx.app, 'leader1')).agent;
}, 180_000);
afterAll(() => fx?.store.close());

interface Finding {
  rule: string;
  org_unit: string;
  period: string;
  indicator: string | null;
  value: number | null;
}

describe('quality findings beside a plan', () => {
  it("a finding's value is the dashboard's value for the same unit, period and plan, per-year counts included", async () => {
    const body = (await leader.get(`/api/v1/quality/findings?plan=${DEFAULT_PLAN}`)).body as { rows: Finding[] };
    const withValue = body.rows.filter((f) => f.indicator && f.value !== null);
    const perYear = withValue.filter((f) => INDICATOR_BY_ID.get(f.indicator!)?.periodicity === 'per_year');
    expect(perYear.length).toBeGreaterThan(0);
    // every per-year finding, and a sample of the others
    for (const f of [...perYear, ...withValue.filter((x) => !perYear.includes(x)).slice(0, 10)]) {
      const v = (await leader.get(`/api/v1/values?plan=${DEFAULT_PLAN}&period=${f.period}&level=community&unit=${f.org_unit}&indicator=${f.indicator}`)).body;
      expect(v.rows[0]?.value, `${f.rule} ${f.org_unit} ${f.period} ${f.indicator}`).toBeCloseTo(f.value!, 6);
    }
  }, 120_000);
});

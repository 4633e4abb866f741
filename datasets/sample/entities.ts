// The life of one community over the plan period, as dated records: the
// organisations, volunteers, social workers, facilities, participants,
// activities and survey answers that its quarterly exports list.

import { type Day, QUARTERS, addDays, daysBetween, planYear, quarterEnd, quarterStart } from './dates.ts';
import { type IdIssuer, ORG_STEMS, type UsccIssuer, fakeName, fakePhone } from './names.ts';
import { type Rng, chance, int, pick, rngFor, shuffle } from './prng.ts';
import { type CommunitySpec, SEED } from './units.ts';

export interface Org { name: string; uscc: string | null; type: string; reg: 'registered' | 'filed'; founded: Day; dissolved: Day | null; brandSince: Day | null; swSince: Day | null; members: number }
export interface Volunteer { id: string; name: string; phone: string; registered: Day; left: Day | null; party: boolean; civil: boolean; leaderSince: Day | null; hoursPerQuarter: number }
export interface Worker { id: string; name: string; cert: 'assistant' | 'intermediate' | 'senior' | 'none'; employerKind: 'community' | 'station' | 'org'; employerOrg: string | null; started: Day; left: Day | null }
export interface Facility { name: string; kind: string; area: number; opened: Day; closed: Day | null }
export interface Participation { id: string; name: string; org: string; joined: Day }
export interface Activity { kind: string; date: Day; title: string; participants: number }
export interface SurveyAnswer { key: string; date: Day; score: number }
export interface Profile { population: number; households: number; grids: number; gridStaff: number; gridInformants: number; partyOrgMembers: number; partyWorkers: number; committeeMembers: number; stationStaff: number; zongzhiStaff: number; participants: number }

export interface CommunityLife {
  spec: CommunitySpec;
  profiles: Profile[]; // by quarter index
  orgs: Org[];
  volunteers: Volunteer[];
  workers: Worker[];
  facilities: Facility[];
  participation: Participation[];
  activities: Activity[]; // only quarters that are exported
  surveys: SurveyAnswer[];
}

export interface Issuers { ids: IdIssuer; uscc: UsccIssuer }

const dayIn = (rng: Rng, from: Day, to: Day): Day => addDays(from, int(rng, 0, daysBetween(from, to)));
const qDay = (rng: Rng, qi: number): Day => dayIn(rng, quarterStart(QUARTERS[qi]), quarterEnd(QUARTERS[qi]));
function later(a: Day, b: Day): Day {
  if (a > b) return a;
  return b;
}
const short = (name: string) => name.replace(/(社区|村)$/, '');

/** Fraction of the volunteer target reached at quarter index k. */
function volunteerShare(path: CommunitySpec['volunteerPath'], k: number, end: number): number {
  const reach = { early: 3, mid: 6, late: 10, never: 99 }[path];
  const start = path === 'early' ? 0.55 : 0.3;
  if (path === 'never') return start + ((end - start) * k) / 11;
  return k >= reach ? 1.02 + 0.01 * (k - reach) : start + ((1.0 - start) * k) / reach;
}

export function buildLife(spec: CommunitySpec, missing: Set<number>, iss: Issuers): CommunityLife {
  const r = (purpose: string) => rngFor(SEED, spec.unit.code, purpose);
  const rural = spec.unit.areaType === 'rural';
  const area6 = spec.unit.code.slice(0, 6);

  // Profile -----------------------------------------------------------------
  const rp = r('profile');
  const pop0 = spec.participationRoster ? int(rp, 2500, 4500) : rural ? int(rp, 2000, 6000) : Math.round(2000 + 13000 * rp() ** 1.6);
  const growth = (int(rp, -5, 15) / 1000);
  const hhRatio = 2.6 + rp() * 0.6;
  const hhPerGrid = int(rp, 280, 460);
  const partStart = 0.2 + rp() * 0.15;
  const partEnd = spec.participationRoster ? 0.42 + rp() * 0.16 : 0.3 + rp() * 0.3;
  const staff = { party: int(rp, 4, 7), workers: int(rp, 0, 2), committee: int(rp, rural ? 3 : 5, 7), station: int(rp, 4, 7), zongzhi: int(rp, 1, 3) };
  const profiles: Profile[] = QUARTERS.map((_, k) => {
    const population = Math.round(pop0 * (1 + growth) ** k * (1 + (rp() - 0.5) * 0.004));
    const households = Math.round(population / hhRatio);
    const grids = Math.max(1, Math.round(households / hhPerGrid));
    const step = k >= 4 ? 1 : 0; // staffing improves in plan year 2
    return {
      population,
      households,
      grids,
      gridStaff: Math.max(1, grids - (k < 4 ? int(rp, 0, 1) : 0)),
      gridInformants: grids * int(rp, 5, 8),
      partyOrgMembers: Math.min(7, staff.party + step),
      partyWorkers: Math.min(2, staff.workers + step),
      committeeMembers: Math.min(7, staff.committee + step),
      stationStaff: Math.min(7, staff.station + step),
      zongzhiStaff: Math.min(3, staff.zongzhi + (k >= 8 ? 1 : 0)),
      participants: Math.round(population * (partStart + ((partEnd - partStart) * k) / 11)),
    };
  });

  // Organisations ----------------------------------------------------------
  const ro = r('orgs');
  const stems = shuffle(ro, Object.entries(ORG_STEMS).flatMap(([type, xs]) => xs.map((s) => ({ type, s }))));
  const orgs: Org[] = [];
  const addOrg = (founded: Day) => {
    const st = stems[orgs.length % stems.length];
    const name = short(spec.unit.name) + st.s + (orgs.length >= stems.length ? '二队' : '');
    const reg = chance(ro, 0.3) ? 'registered' : 'filed';
    const brand = chance(ro, rural ? 0.12 : 0.2);
    const sw = daysBetween(founded, '2018-03-31') > 60 && chance(ro, 0.3);
    orgs.push({
      name,
      uscc: reg === 'registered' ? iss.uscc.next(ro, area6) : null,
      type: st.type,
      reg,
      founded,
      dissolved: null,
      brandSince: brand ? dayIn(ro, founded > '2015-07-01' ? founded : '2015-07-01', '2018-06-30') : null,
      swSince: sw ? dayIn(ro, founded > '2015-07-01' ? founded : '2015-07-01', '2018-06-30') : null,
      members: int(ro, 8, 120),
    });
  };
  const baseline = rural ? int(ro, 2, 4) : int(ro, 4, 9);
  for (let i = 0; i < baseline; i++) addOrg(dayIn(ro, '2008-01-01', '2015-06-30'));
  for (let y = 0; y < 3; y++) {
    const n = int(ro, rural ? 1 : 2, rural ? 4 : 6);
    for (let i = 0; i < n; i++) addOrg(qDay(ro, y * 4 + int(ro, 0, 3)));
  }
  for (const o of orgs) {
    if (chance(ro, 0.08)) {
      const d = dayIn(ro, o.founded > '2015-07-01' ? addDays(o.founded, 90) : '2015-07-01', '2018-06-30');
      if (d <= '2018-06-30') o.dissolved = d;
    }
    if (o.brandSince && o.dissolved && o.brandSince >= o.dissolved) o.brandSince = null;
    if (o.swSince && o.dissolved && o.swSince >= o.dissolved) o.swSince = null;
  }

  // Volunteers ---------------------------------------------------------------
  const rv = r('volunteers');
  const target = rural ? 0.1 : 0.15;
  const neverEnd = 0.6 + rv() * 0.25;
  const volunteers: Volunteer[] = [];
  let active: Volunteer[] = [];
  for (let k = 0; k < QUARTERS.length; k++) {
    const qs = quarterStart(QUARTERS[k]);
    const qe = quarterEnd(QUARTERS[k]);
    if (k > 0) {
      for (const v of active) if (chance(rv, 0.015)) v.left = dayIn(rv, qs, qe);
      active = active.filter((v) => !v.left);
    }
    const want = Math.round(volunteerShare(spec.volunteerPath, k, neverEnd) * target * profiles[k].population);
    while (active.length < want) {
      const registered = k === 0 && chance(rv, 0.8) ? dayIn(rv, '2012-01-01', '2015-06-30') : dayIn(rv, qs, qe);
      const leader = chance(rv, 0.035);
      const v: Volunteer = {
        id: iss.ids.next(rv, area6, 1945, 2000),
        name: fakeName(rv),
        phone: fakePhone(rv),
        registered,
        left: null,
        party: chance(rv, 0.2),
        civil: chance(rv, 0.05),
        leaderSince: leader ? dayIn(rv, registered > '2014-01-01' ? registered : '2014-01-01', '2018-06-30') : null,
        hoursPerQuarter: int(rv, 2, 40) / 2,
      };
      volunteers.push(v);
      active.push(v);
    }
  }

  // Social workers ------------------------------------------------------------
  const rw = r('workers');
  const workers: Worker[] = [];
  const addWorker = (started: Day) => {
    const certRoll = rw();
    const cert = certRoll < 0.25 ? 'none' : certRoll < 0.75 ? 'assistant' : certRoll < 0.95 ? 'intermediate' : 'senior';
    const kind = pick(rw, ['community', 'station', 'org'] as const);
    const employerOrgs = orgs.filter((o) => o.founded <= started && !o.dissolved);
    workers.push({
      id: iss.ids.next(rw, area6, 1965, 1995),
      name: fakeName(rw),
      cert,
      employerKind: kind === 'org' && employerOrgs.length === 0 ? 'community' : kind,
      employerOrg: kind === 'org' && employerOrgs.length ? pick(rw, employerOrgs).name : null,
      started,
      left: null,
    });
  };
  for (let i = int(rw, 0, 2); i > 0; i--) addWorker(dayIn(rw, '2011-01-01', '2015-06-30'));
  const joinP = rural ? 0.15 : 0.28;
  for (let k = 0; k < QUARTERS.length; k++) {
    if (chance(rw, joinP)) addWorker(qDay(rw, k));
    for (const w of workers) if (!w.left && w.started < quarterStart(QUARTERS[k]) && chance(rw, 0.03)) w.left = qDay(rw, k);
  }

  // Facilities -----------------------------------------------------------------
  const rf = r('facilities');
  const facilities: Facility[] = [];
  const s = short(spec.unit.name);
  const opened0 = () => dayIn(rf, '2009-01-01', '2015-06-30');
  facilities.push({ name: `${s}社区办公用房`, kind: 'mgmt', area: rural ? int(rf, 8, 20) * 10 : int(rf, 15, 40) * 10, opened: opened0(), closed: null });
  facilities.push({ name: `${s}居民活动室`, kind: 'service', area: rural ? int(rf, 10, 40) * 10 : int(rf, 30, 120) * 10, opened: opened0(), closed: null });
  const daycareRoll = rf();
  if (spec.unit.name === '盐海社区') facilities.push({ name: '盐海乐龄居家养老中心', kind: 'daycare', area: 300, opened: opened0(), closed: null });
  else if (daycareRoll < 0.55) facilities.push({ name: `${s}老年人日间照料中心`, kind: 'daycare', area: int(rf, 15, 50) * 10, opened: opened0(), closed: null });
  else if (daycareRoll < 0.85) facilities.push({ name: `${s}老年人日间照料中心`, kind: 'daycare', area: int(rf, 15, 50) * 10, opened: qDay(rf, int(rf, 2, 9)), closed: null });
  if (spec.unit.name === '盐海社区') facilities.push({ name: '盐海社区邻里中心', kind: 'center', area: 2600, opened: qDay(rf, 5), closed: null });
  else if (spec.unit.name === '洋西社区') facilities.push({ name: '洋西社区服务阵地', kind: 'center', area: 2000, opened: qDay(rf, 7), closed: null });
  else if (!rural && chance(rf, 0.3)) facilities.push({ name: `${s}社区综合服务中心`, kind: 'center', area: int(rf, 50, 200) * 10, opened: chance(rf, 0.5) ? opened0() : qDay(rf, int(rf, 1, 10)), closed: null });
  if (chance(rf, 0.4)) {
    const k = int(rf, 1, 10);
    facilities[1].closed = qDay(rf, k);
    facilities.push({ name: `${s}新居民活动室`, kind: 'service', area: facilities[1].area + int(rf, 10, 60) * 10, opened: facilities[1].closed, closed: null });
  }
  if (chance(rf, 0.6)) facilities.push({ name: `${s}${rural ? '文化广场' : '室外健身场地'}`, kind: 'outdoor', area: int(rf, 20, 150) * 10, opened: opened0(), closed: null });

  // Participation roster ------------------------------------------------------
  const rpart = r('participation');
  const participation: Participation[] = [];
  if (spec.participationRoster) {
    const seen = new Set<string>();
    let volPtr = 0;
    for (let k = 0; k < QUARTERS.length; k++) {
      const qs = quarterStart(QUARTERS[k]);
      const qe = quarterEnd(QUARTERS[k]);
      const openOrgs = orgs.filter((o) => o.founded <= qe && (!o.dissolved || o.dissolved > qe));
      while (seen.size < profiles[k].participants) {
        // About one participant in five is also a registered volunteer.
        let vol: Volunteer | undefined;
        if (chance(rpart, 0.2)) {
          while (volPtr < volunteers.length && (seen.has(volunteers[volPtr].id) || volunteers[volPtr].registered > qe)) volPtr++;
          vol = volunteers[volPtr];
        }
        const id = vol ? vol.id : iss.ids.next(rpart, area6, 1940, 2005);
        const name = vol ? vol.name : fakeName(rpart);
        seen.add(id);
        const joined = k === 0 && chance(rpart, 0.7) ? dayIn(rpart, '2013-01-01', '2015-06-30') : dayIn(rpart, qs, qe);
        const eligible = openOrgs.filter((o) => o.founded <= joined);
        const pool = eligible.length ? eligible : openOrgs;
        const first = pick(rpart, pool);
        participation.push({ id, name, org: first.name, joined: later(joined, first.founded) });
        if (chance(rpart, 0.12) && pool.length > 1) {
          const second = pick(rpart, pool.filter((o) => o !== first));
          participation.push({ id, name, org: second.name, joined: later(joined, second.founded) });
        }
      }
    }
  }

  // Activities ------------------------------------------------------------------
  const ra = r('activities');
  const activities: Activity[] = [];
  const meetingHabit = chance(ra, 0.08) ? 0 : chance(ra, 0.2) ? 0.7 : 1;
  const demoYears = [0, 1, 2].filter(() => chance(ra, 0.7));
  const brandYears = [0, 1, 2].filter(() => chance(ra, 0.6));
  const reformQ = chance(ra, 0.85) ? int(ra, 0, 10) : -1;
  for (let k = 0; k < QUARTERS.length; k++) {
    const y = planYear(QUARTERS[k]);
    const add = (kind: string, title: string, lo: number, hi: number) => {
      if (!missing.has(k)) activities.push({ kind, date: qDay(ra, k), title, participants: int(ra, lo, hi) });
    };
    if (chance(ra, meetingHabit)) add('joint_meeting', `${s}三社联席会议`, 8, 25);
    for (let i = int(ra, 0, 3); i > 0; i--) add('consultation', `${s}居民议事协商会`, 10, 60);
    if (demoYears.includes(y) && k % 4 === (y + spec.style.variant) % 4) add('consultation_demo', `${s}协商示范点现场会`, 20, 80);
    if (brandYears.includes(y) && k % 4 === (y + spec.style.variant + 2) % 4) add('selfgov_brand', `${s}自治品牌组织培育`, 10, 50);
    if (k === reformQ) add('governance_reform', `${s}"一委一居一站"治理架构改革`, 15, 40);
    for (let i = int(ra, 1, 4); i > 0; i--) add('volunteer_activity', `${s}志愿服务进楼栋`, 10, 200);
    if (chance(ra, 0.4)) add('training', `${s}社工业务培训`, 10, 40);
  }
  activities.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // Surveys (Q2 and Q4 of each year) -------------------------------------------------
  const rs = r('surveys');
  const surveys: SurveyAnswer[] = [];
  const mood = 0.62 + rs() * 0.33;
  for (let k = 0; k < QUARTERS.length; k++) {
    if (missing.has(k) || !/Q[24]$/.test(QUARTERS[k])) continue;
    const n = int(rs, 30, 80);
    for (let i = 1; i <= n; i++) {
      const happy = chance(rs, mood + k * 0.005);
      surveys.push({ key: `${spec.unit.code}-${QUARTERS[k]}-${String(i).padStart(3, '0')}`, date: qDay(rs, k), score: happy ? int(rs, 4, 5) : int(rs, 1, 3) });
    }
  }

  return { spec, profiles, orgs, volunteers, workers, facilities, participation, activities, surveys };
}

// The plain model of the sample district: org units, each community's dated
// records (entities.ts), the street and district logs, and the per-quarter
// truth numbers that the importer and metrics engine should reproduce.

import { type Day, QUARTERS, type Quarter, addDays, daysBetween, planYearStart, quarterEnd, quarterStart } from './dates.ts';
import { type Activity, type CommunityLife, type Facility, buildLife } from './entities.ts';
import { IdIssuer, UsccIssuer } from './names.ts';
import { int, rngFor } from './prng.ts';
import { type CommunitySpec, DISTRICT, GENERATOR_VERSION, MISSING, type OrgUnit, SEED, STREETS, allUnits, buildCommunitySpecs } from './units.ts';

export * from './units.ts';
export { QUARTERS, type Quarter } from './dates.ts';

/** What the generator intends one community's export of one quarter to say (as of the quarter's last day). */
export interface CommunityQuarterTruth {
  quarter: Quarter;
  asOf: Day;
  /** False for the one missing (community, quarter): no export exists. */
  exported: boolean;
  population: number;
  households: number;
  grids: number;
  gridStaff: number;
  gridInformants: number;
  partyOrgMembers: number;
  partyWorkers: number;
  committeeMembers: number;
  stationStaff: number;
  zongzhiStaff: number;
  /** Organisations listed in the roster / active on the as-of date. */
  orgsListed: number;
  orgsActive: number;
  orgsPublicBenefit: number;
  orgsService: number;
  orgsBrand: number;
  orgsFoundedInYear: number;
  orgsRegisteredFoundedInYear: number;
  orgsSocialWorkerInYear: number;
  volunteers: number;
  volunteerRate: number;
  volunteerLeaders: number;
  volunteerLeadersNewInYear: number;
  socialWorkersListed: number;
  socialWorkersActive: number;
  socialWorkersCertified: number;
  /** Distinct participating residents (roster, or the profile count). */
  participants: number;
  participationRows: number;
  participationRate: number;
  areaMgmt: number;
  areaService: number;
  areaIndoor: number;
  areaOutdoor: number;
  daycare: boolean;
  facilitiesListed: number;
  /** Activities held in this quarter, by kind. */
  activities: Record<string, number>;
  /** Activities held in the plan year up to the as-of date (exported quarters only), by kind. */
  activitiesInYear: Record<string, number>;
  surveyRespondents: number;
  surveySatisfied: number;
}

export interface SampleCommunity {
  spec: CommunitySpec;
  life: CommunityLife;
  truth: CommunityQuarterTruth[];
}

export interface UnitLog {
  unit: OrgUnit;
  activities: Activity[];
  facilities: Facility[];
}

export interface SampleModel {
  version: string;
  seed: number;
  quarters: readonly Quarter[];
  district: OrgUnit;
  streets: OrgUnit[];
  units: OrgUnit[];
  communities: SampleCommunity[];
  missing: { code: string; name: string; quarter: Quarter };
  /** Street logs (demo-community recognitions, street service center) and the district log (leadership meetings). */
  streetLogs: UnitLog[];
  districtLog: UnitLog;
}

const PUBLIC_BENEFIT = new Set(['service', 'public_welfare', 'mutual_aid']);
const isOn = (from: Day | null, to: Day | null, asOf: Day) => from !== null && from <= asOf && (to === null || to > asOf);
const inYear = (d: Day | null, start: Day, asOf: Day) => d !== null && d >= start && d <= asOf;
const countBy = (xs: Activity[]) => {
  const out: Record<string, number> = {};
  for (const a of xs) out[a.kind] = (out[a.kind] ?? 0) + 1;
  return out;
};

/** Roster visibility rules shared with the exporter. */
export const listed = {
  org: (o: { founded: Day }, asOf: Day) => o.founded <= asOf,
  volunteer: (v: { registered: Day; left: Day | null }, asOf: Day) => v.registered <= asOf && (v.left === null || v.left > asOf),
  /** Workers who left stay on the roster for a year with their 离职日期. */
  worker: (w: { started: Day; left: Day | null }, asOf: Day) => w.started <= asOf && (w.left === null || daysBetween(w.left, asOf) < 365),
  facility: (f: { opened: Day; closed: Day | null }, asOf: Day) => f.opened <= asOf && (f.closed === null || daysBetween(f.closed, asOf) < 365),
};

function truthFor(life: CommunityLife, k: number, exported: boolean): CommunityQuarterTruth {
  const q = QUARTERS[k];
  const asOf = quarterEnd(q);
  const ys = planYearStart(q);
  const p = life.profiles[k];
  const activeOrgs = life.orgs.filter((o) => isOn(o.founded, o.dissolved, asOf));
  const vols = life.volunteers.filter((v) => listed.volunteer(v, asOf));
  const leaders = vols.filter((v) => v.leaderSince !== null && v.leaderSince <= asOf);
  const activeWorkers = life.workers.filter((w) => isOn(w.started, w.left, asOf));
  const facs = life.facilities.filter((f) => isOn(f.opened, f.closed, asOf));
  const area = (kinds: string[]) => facs.filter((f) => kinds.includes(f.kind)).reduce((s, f) => s + f.area, 0);
  const partRows = life.participation.filter((r) => r.joined <= asOf);
  const participants = life.spec.participationRoster ? new Set(partRows.map((r) => r.id)).size : p.participants;
  const qs = quarterStart(q);
  const acts = life.activities.filter((a) => a.date >= qs && a.date <= asOf);
  const actsYear = life.activities.filter((a) => a.date >= ys && a.date <= asOf);
  const survey = life.surveys.filter((s) => s.date >= qs && s.date <= asOf);
  return {
    quarter: q,
    asOf,
    exported,
    population: p.population,
    households: p.households,
    grids: p.grids,
    gridStaff: p.gridStaff,
    gridInformants: p.gridInformants,
    partyOrgMembers: p.partyOrgMembers,
    partyWorkers: p.partyWorkers,
    committeeMembers: p.committeeMembers,
    stationStaff: p.stationStaff,
    zongzhiStaff: p.zongzhiStaff,
    orgsListed: life.orgs.filter((o) => listed.org(o, asOf)).length,
    orgsActive: activeOrgs.length,
    orgsPublicBenefit: activeOrgs.filter((o) => PUBLIC_BENEFIT.has(o.type)).length,
    orgsService: activeOrgs.filter((o) => o.type === 'service').length,
    orgsBrand: activeOrgs.filter((o) => o.brandSince !== null && o.brandSince <= asOf).length,
    orgsFoundedInYear: life.orgs.filter((o) => inYear(o.founded, ys, asOf)).length,
    orgsRegisteredFoundedInYear: life.orgs.filter((o) => o.reg === 'registered' && inYear(o.founded, ys, asOf)).length,
    orgsSocialWorkerInYear: life.orgs.filter((o) => inYear(o.swSince, ys, asOf)).length,
    volunteers: vols.length,
    volunteerRate: vols.length / p.population,
    volunteerLeaders: leaders.length,
    volunteerLeadersNewInYear: leaders.filter((v) => inYear(v.leaderSince, ys, asOf)).length,
    socialWorkersListed: life.workers.filter((w) => listed.worker(w, asOf)).length,
    socialWorkersActive: activeWorkers.length,
    socialWorkersCertified: activeWorkers.filter((w) => w.cert !== 'none').length,
    participants,
    participationRows: life.spec.participationRoster ? partRows.length : 0,
    participationRate: participants / p.population,
    areaMgmt: area(['mgmt']),
    areaService: area(['service', 'daycare', 'center']),
    areaIndoor: area(['mgmt', 'service', 'daycare', 'center']),
    areaOutdoor: area(['outdoor']),
    daycare: facs.some((f) => f.kind === 'daycare'),
    facilitiesListed: life.facilities.filter((f) => listed.facility(f, asOf)).length,
    activities: countBy(acts),
    activitiesInYear: countBy(actsYear),
    surveyRespondents: survey.length,
    surveySatisfied: survey.filter((s) => s.score >= 4).length,
  };
}

function streetLog(street: OrgUnit, communities: SampleCommunity[]): UnitLog {
  const rng = rngFor(SEED, street.code, 'street');
  const mine = communities.filter((c) => c.spec.street.code === street.code).map((c) => c.spec.unit.name);
  const activities: Activity[] = [];
  for (let y = 0; y < 3; y++) {
    for (const [kind, label] of [['selfgov_demo_community', '自治示范社区'], ['consultation_demo_community', '协商示范社区']] as const) {
      const n = int(rng, 1, 3);
      for (let i = 0; i < n; i++) {
        const k = y * 4 + int(rng, 0, 3);
        const who = mine[int(rng, 0, mine.length - 1)];
        const date = addDays(quarterStart(QUARTERS[k]), int(rng, 0, 85));
        activities.push({ kind, date, title: `${who}被认定为${label}`, participants: int(rng, 20, 60) });
      }
    }
  }
  for (let k = 0; k < QUARTERS.length; k++) {
    if (rng() < 0.5) activities.push({ kind: 'joint_meeting', date: addDays(quarterStart(QUARTERS[k]), int(rng, 0, 85)), title: `${street.name}三社联动推进会`, participants: int(rng, 20, 50) });
  }
  activities.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const late = street.code === '140302005';
  const small = street.code === '140302004';
  const center: Facility = {
    name: `${street.name}社区服务中心`,
    kind: 'center',
    area: small ? 800 : int(rng, 100, 250) * 10,
    opened: late ? '2016-09-18' : addDays('2012-01-01', int(rng, 0, 1000)),
    closed: null,
  };
  return { unit: street, activities, facilities: [center] };
}

function districtLog(): UnitLog {
  const rng = rngFor(SEED, DISTRICT.code, 'district');
  const perYear = [5, 4, 3];
  const activities: Activity[] = [];
  for (let y = 0; y < 3; y++) {
    const quarters = [0, 1, 2, 3, 0, 2].slice(0, perYear[y]);
    for (const qi of quarters) {
      const k = y * 4 + qi;
      activities.push({ kind: 'leadership_meeting', date: addDays(quarterStart(QUARTERS[k]), int(rng, 0, 85)), title: '三社联动创新实验区领导小组会议', participants: int(rng, 12, 30) });
    }
  }
  activities.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { unit: DISTRICT, activities, facilities: [] };
}

let cached: SampleModel | undefined;

/** Builds (once per process) the full deterministic model of the sample district. */
export function buildSampleModel(): SampleModel {
  if (cached) return cached;
  const specs = buildCommunitySpecs();
  const iss = { ids: new IdIssuer(), uscc: new UsccIssuer() };
  const missingSpec = specs.find((s) => s.unit.name === MISSING.name)!;
  const missingK = QUARTERS.indexOf(MISSING.quarter);
  const communities: SampleCommunity[] = specs.map((spec) => {
    const missing = new Set(spec === missingSpec ? [missingK] : []);
    const life = buildLife(spec, missing, iss);
    return { spec, life, truth: QUARTERS.map((_, k) => truthFor(life, k, !missing.has(k))) };
  });
  cached = {
    version: GENERATOR_VERSION,
    seed: SEED,
    quarters: QUARTERS,
    district: DISTRICT,
    streets: STREETS,
    units: allUnits(specs),
    communities,
    missing: { code: missingSpec.unit.code, name: missingSpec.unit.name, quarter: MISSING.quarter },
    streetLogs: STREETS.map((s) => streetLog(s, communities)),
    districtLog: districtLog(),
  };
  return cached;
}

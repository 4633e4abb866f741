// One export's tables as canonical rows (field name -> canonical value), the
// same for every file form; format.ts turns them into cells.

import type { TableName } from '../../server/import/contract/tables.ts';
import { type Day, QUARTERS, daysBetween, quarterEnd, quarterStart } from './dates.ts';
import type { Activity, Facility } from './entities.ts';
import { type SampleCommunity, type UnitLog, listed } from './model.ts';

/** Canonical values: enums by canonical key, dates as 'YYYY-MM-DD' in a {date} box, booleans, numbers, text. */
export type Value = string | number | boolean | { date: Day } | null;
export type Row = Record<string, Value>;
export type Tables = Partial<Record<TableName, Row[]>>;

const d = (day: Day | null, asOf: Day): Value => (day !== null && day <= asOf ? { date: day } : null);

export function communityTables(c: SampleCommunity, k: number): Tables {
  const q = QUARTERS[k];
  const asOf = quarterEnd(q);
  const qs = quarterStart(q);
  const { life, spec } = c;
  const p = life.profiles[k];
  const out: Tables = {};
  out.profile = [
    {
      community_code: spec.unit.code,
      community_name: spec.unit.name,
      street_name: spec.street.name,
      area_type: spec.unit.areaType,
      report_period: q,
      population: p.population,
      households: p.households,
      grids: p.grids,
      grid_staff: p.gridStaff,
      grid_informants: p.gridInformants,
      party_org_members: p.partyOrgMembers,
      party_workers: p.partyWorkers,
      committee_members: p.committeeMembers,
      station_staff: p.stationStaff,
      zongzhi_staff: p.zongzhiStaff,
      participants: spec.participationRoster ? null : p.participants,
    },
  ];
  out.social_orgs = life.orgs
    .filter((o) => listed.org(o, asOf))
    .map((o) => ({
      org_name: o.name,
      uscc: o.uscc,
      org_type: o.type,
      reg_status: o.reg,
      founded_on: { date: o.founded },
      dissolved_on: d(o.dissolved, asOf),
      is_brand: o.brandSince !== null && o.brandSince <= asOf,
      brand_since: d(o.brandSince, asOf),
      social_worker_since: d(o.swSince, asOf),
      members: o.members,
    }));
  out.volunteers = life.volunteers
    .filter((v) => listed.volunteer(v, asOf))
    .map((v) => {
      const leader = v.leaderSince !== null && v.leaderSince <= asOf;
      return {
        person_key: v.id,
        name: v.name,
        phone: v.phone,
        registered_on: { date: v.registered },
        party_member: v.party,
        civil_servant: v.civil,
        is_leader: leader,
        leader_since: leader ? { date: v.leaderSince! } : null,
        service_hours: Math.round((v.hoursPerQuarter * daysBetween(v.registered, asOf)) / 9.13) / 10,
      };
    });
  out.social_workers = life.workers
    .filter((w) => listed.worker(w, asOf))
    .map((w) => ({
      person_key: w.id,
      name: w.name,
      cert_level: w.cert,
      employer_kind: w.employerKind,
      employer_org: w.employerOrg,
      started_on: { date: w.started },
      left_on: d(w.left, asOf),
    }));
  out.facilities = facilityRows(life.facilities, asOf);
  if (spec.participationRoster) {
    out.participation = life.participation
      .filter((r) => r.joined <= asOf)
      .map((r) => ({ person_key: r.id, name: r.name, org_name: r.org, joined_on: { date: r.joined } }));
  }
  const acts = activityRows(life.activities, qs, asOf);
  if (acts.length) out.activities = acts;
  const answers = life.surveys.filter((s) => s.date >= qs && s.date <= asOf);
  if (answers.length) out.surveys = answers.map((s) => ({ respondent_key: s.key, surveyed_on: { date: s.date }, score: s.score }));
  return out;
}

function facilityRows(fs: Facility[], asOf: Day): Row[] {
  return fs
    .filter((f) => listed.facility(f, asOf))
    .map((f) => ({ facility_name: f.name, kind: f.kind, area_m2: f.area, opened_on: { date: f.opened }, closed_on: d(f.closed, asOf) }));
}

function activityRows(acts: Activity[], from: Day, asOf: Day): Row[] {
  return acts
    .filter((a) => a.date >= from && a.date <= asOf)
    .map((a) => ({ kind: a.kind, held_on: { date: a.date }, title: a.title, participants: a.participants }));
}

/** A street's or the district's export: every row carries the unit code and the period. */
export function unitLogTables(log: UnitLog, k: number): Tables {
  const q = QUARTERS[k];
  const asOf = quarterEnd(q);
  const tag = (r: Row): Row => ({ community_code: log.unit.code, report_period: q, ...r });
  const out: Tables = {};
  const acts = activityRows(log.activities, quarterStart(q), asOf).map(tag);
  if (acts.length) out.activities = acts;
  const facs = facilityRows(log.facilities, asOf).map(tag);
  if (facs.length) out.facilities = facs;
  return out;
}

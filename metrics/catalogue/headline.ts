// Which district indicators headline the overview (a choice of the product,
// not a definition): one card per group, the first indicator of the group
// that the plan has, else the first with a value. The server sends the
// overview only these rows; the dashboard draws them. A constant module
// without imports, so the client can share it.

export const HEADLINE: readonly (readonly string[])[] = [
  ['district_orgs_per_10k', 'orgs_per_10k'],
  ['volunteer_rate'],
  ['district_social_workers_per_community', 'social_workers_certified'],
  ['district_daycare_coverage', 'daycare_present'],
  ['participation_rate'],
];

/** Every indicator id a headline card may show. */
export const HEADLINE_IDS: ReadonlySet<string> = new Set(HEADLINE.flat());

/** The cards for these rows (one unit's values): per group, the first indicator in the plan, else the first present. */
export function headlineCards<T extends { indicator: string; in_plan: boolean }>(rows: readonly T[]): T[] {
  const byId = new Map(rows.map((v) => [v.indicator, v]));
  const out: T[] = [];
  for (const ids of HEADLINE) {
    const present = ids.map((id) => byId.get(id)).filter((v): v is T => v !== undefined);
    const card = present.find((v) => v.in_plan) ?? present[0];
    if (card) out.push(card);
  }
  return out;
}

// The period calendar as SQL: every quarter between two quarter indexes with
// its as-of date, the plan year containing it (plan years start on the plan's
// start month/day) and how many quarters of that year have elapsed.
// Parameters: $first, $last (quarter index = year*4 + q-1), $ys_m, $ys_d.

export const CALENDAR_SQL = `SELECT period, qidx, q_start, as_of, year_start,
    (year(year_start) * 4 + (month(year_start) - 1) // 3)::INTEGER AS ys_qidx,
    least(4, greatest(1, ceil(date_diff('month', year_start, as_of + INTERVAL 1 DAY) / 3)))::INTEGER AS q_elapsed
  FROM (
    SELECT period, qidx, q_start, as_of,
      CASE WHEN make_date(year(as_of), $ys_m, $ys_d) <= as_of THEN make_date(year(as_of), $ys_m, $ys_d)
           ELSE make_date(year(as_of) - 1, $ys_m, $ys_d) END AS year_start
    FROM (
      SELECT printf('%dQ%d', qidx // 4, qidx % 4 + 1) AS period, qidx::INTEGER AS qidx,
        make_date((qidx // 4)::INTEGER, (3 * (qidx % 4) + 1)::INTEGER, 1) AS q_start,
        (make_date((qidx // 4)::INTEGER, (3 * (qidx % 4) + 1)::INTEGER, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS as_of
      FROM range($first, $last + 1) r(qidx)
    )
  )`;

/** '2016Q4' -> 8067 */
export function quarterIndex(period: string): number {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  if (!m) throw new Error(`bad period ${period}`);
  return Number(m[1]) * 4 + Number(m[2]) - 1;
}

export function periodOf(qidx: number): string {
  return `${Math.floor(qidx / 4)}Q${(qidx % 4) + 1}`;
}

/** Quarter containing an ISO date. */
export function periodOfDate(iso: string): string {
  const [y, m] = iso.split('-').map(Number);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

/** Last day of a quarter as ISO date. */
export function asOf(period: string): string {
  const q = quarterIndex(period);
  const y = Math.floor(q / 4);
  const endMonth = (q % 4) * 3 + 3;
  const d = new Date(Date.UTC(y, endMonth, 0));
  return d.toISOString().slice(0, 10);
}

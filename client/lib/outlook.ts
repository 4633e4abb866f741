// Will the district meet the plan's end targets? The count of district
// indicators whose trend reaches the plan-end target, for the phase page's
// outlook and the overview's card.

import type { ProgressResponse, ProgressRow } from './api.ts';

/** Of the rows with a verdict, how many are projected to reach the plan-end target. */
export function planEndTally(rows: ProgressRow[]): { reaching: number; judged: number } {
  const judged = rows.filter((r) => r.reaches_plan_target !== null);
  return { reaching: judged.filter((r) => r.reaches_plan_target).length, judged: judged.length };
}

/** The rows of the report period's current phase. */
export function currentPhaseRows(p: ProgressResponse): ProgressRow[] {
  const idx = p.phases.find((x) => x.name === p.current_phase)?.idx;
  return p.rows.filter((r) => r.phase_idx === idx);
}

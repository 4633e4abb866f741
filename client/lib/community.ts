// Which community a route names: its 12-digit code, or its name as people
// type and share it (#/community/盐海社区). A name two streets share names
// no one community; the page then offers the candidates.

import type { UnitInfo } from './api.ts';

export type CommunityMatch = { unit: UnitInfo } | { candidates: UnitInfo[] };

export function findCommunity(units: UnitInfo[], key: string): CommunityMatch {
  const k = key.trim();
  const communities = units.filter((u) => u.level === 'community');
  const byCode = communities.find((u) => u.code === k);
  if (byCode) return { unit: byCode };
  const byName = communities.filter((u) => u.name === k);
  if (byName.length === 1) return { unit: byName[0] };
  return { candidates: byName };
}

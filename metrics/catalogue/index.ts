// The whole catalogue and lookups over it.

import { COMMUNITY } from './community.ts';
import { DISTRICT, STREET } from './higher.ts';
import type { Indicator } from './types.ts';

export * from './types.ts';
export const CATALOGUE: Indicator[] = [...COMMUNITY, ...STREET, ...DISTRICT];
export const INDICATOR_BY_ID: ReadonlyMap<string, Indicator> = new Map(CATALOGUE.map((i) => [i.id, i]));

export function indicator(id: string): Indicator {
  const i = INDICATOR_BY_ID.get(id);
  if (!i) throw new Error(`unknown indicator ${id}`);
  return i;
}

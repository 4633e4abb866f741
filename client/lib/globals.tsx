// The global controls (plan, period, level, street, urban/rural, language),
// read from the URL, with defaults from the API's plan and period lists.

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { DEFAULT_PLAN } from '../../metrics/plans/default.ts';
import { api, type IndicatorInfo, type Level, type PlanInfo, type Query, type Session, type UnitInfo } from './api.ts';
import { useLoad } from './fetch.ts';
import type { Lang } from './i18n.ts';
import { setCatalogueNames } from './names.ts';
import { type Route, useRoute } from './url.ts';

export interface Meta {
  session: Session | null;
  plans: PlanInfo[];
  periods: string[];
  units: UnitInfo[];
  catalogue: IndicatorInfo[];
}

export interface Globals extends Meta {
  route: Route;
  lang: Lang;
  plan: PlanInfo;
  period: string;
  level: Level;
  street: string | null;
  area: 'urban' | 'rural' | null;
  streets: UnitInfo[];
  unitByCode: Map<string, UnitInfo>;
  query: Query;
  /** Whether a community passes the street and urban/rural filters. */
  keep: (code: string) => boolean;
  /** Ask the server who we are again (after a login on a page), so the header follows. */
  refreshSession: () => Promise<void>;
}

const Ctx = createContext<Globals | null>(null);

export function useGlobals(): Globals {
  const g = useContext(Ctx);
  if (!g) throw new Error('useGlobals outside GlobalsProvider');
  return g;
}

export function useMeta() {
  return useLoad<Meta>('meta', async () => {
    // All at once: the session does not gate the other requests (they 401 when a login is needed).
    const [session, rest] = await Promise.all([
      api.session().catch(() => null),
      Promise.all([api.plans(), api.periods(), api.units(), api.indicators()]).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      ),
    ]);
    if (session?.login_required && !session.authenticated) throw new LoginNeeded(session);
    if (!rest.ok) throw rest.e;
    const [plans, periods, units, catalogue] = rest.r;
    setCatalogueNames(catalogue);
    return { session, plans, periods: [...periods].sort(), units, catalogue };
  });
}

export class LoginNeeded extends Error {
  constructor(readonly session: Session) {
    super('login required');
  }
}


/** Plan, period and level named by the URL, else the defaults (the default plan, the latest period, communities). */
export function resolveQuery(p: URLSearchParams, plans: PlanInfo[], periods: string[]): { plan: PlanInfo; period: string; level: Level } {
  const plan = plans.find((x) => x.id === p.get('plan')) ?? plans.find((x) => x.id === DEFAULT_PLAN) ?? plans[0];
  const period = p.get('period') && periods.includes(p.get('period')!) ? p.get('period')! : periods[periods.length - 1];
  const lv = p.get('level');
  const level: Level = lv === 'street' || lv === 'district' ? lv : 'community';
  return { plan, period, level };
}

export function GlobalsProvider({ meta, children }: { meta: Meta; children: ReactNode }) {
  const route = useRoute();
  const [session, setSession] = useState(meta.session);
  useEffect(() => setSession(meta.session), [meta.session]);
  const refreshSession = useCallback(async () => {
    setSession(await api.session().catch(() => null));
  }, []);
  const value = useMemo<Globals>(() => {
    const p = route.params;
    const { plan, period, level } = resolveQuery(p, meta.plans, meta.periods);
    const streets = meta.units.filter((u) => u.level === 'street');
    const street = streets.some((s) => s.code === p.get('street')) ? p.get('street') : null;
    const ar = p.get('area');
    const area = ar === 'urban' || ar === 'rural' ? ar : null;
    const unitByCode = new Map(meta.units.map((u) => [u.code, u]));
    const keep = (code: string) => {
      const u = unitByCode.get(code);
      if (!u) return true;
      if (street && u.level === 'community' && u.parent_code !== street) return false;
      if (street && u.level === 'street' && u.code !== street) return false;
      if (area && u.level === 'community' && u.area_type && u.area_type !== area) return false;
      return true;
    };
    return {
      ...meta,
      session,
      refreshSession,
      route,
      lang: p.get('lang') === 'en' ? 'en' : 'zh',
      plan,
      period,
      level,
      street,
      area,
      streets,
      unitByCode,
      query: { plan: plan?.id ?? '', period, level },
      keep,
    };
  }, [meta, route, session, refreshSession]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The display name of a unit in the current language (names are Chinese in the data). */
export function unitName(g: Globals, code: string, fallback?: string | null): string {
  return g.unitByCode.get(code)?.name ?? fallback ?? code;
}

/**
 * A community indicator seen from a street or the district: its progress is
 * tracked as the mean attainment of the communities (target 1), not in the
 * indicator's own unit (metrics/progress).
 */
export function aggregated(g: Globals, indicator: string, level: Level): boolean {
  const c = g.catalogue.find((x) => x.id === indicator);
  return !!c && c.level === 'community' && level !== 'community';
}

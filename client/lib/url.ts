// Hash routing with the global controls in the query, so a link reproduces
// the view: #/overview?plan=sanshe-lab-2015&period=2016Q4&level=community&street=..&area=urban&lang=en

import { useSyncExternalStore } from 'react';

export interface Route {
  path: string[];
  params: URLSearchParams;
}

export function parse(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const [p, q] = h.split('?', 2);
  const path = (p ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  return { path: path.length ? path : ['overview'], params: new URLSearchParams(q ?? '') };
}

let cached: { hash: string; route: Route } | null = null;
function snapshot(): Route {
  const h = window.location.hash;
  if (!cached || cached.hash !== h) cached = { hash: h, route: parse(h) };
  return cached.route;
}
function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Global controls kept across pages. */
export const GLOBAL_KEYS = ['plan', 'period', 'level', 'street', 'area', 'lang'] as const;

export function href(path: string[] | string, params: URLSearchParams | Record<string, string | null | undefined>, keepFrom?: URLSearchParams): string {
  const p = new URLSearchParams();
  if (keepFrom) for (const k of GLOBAL_KEYS) { const v = keepFrom.get(k); if (v) p.set(k, v); }
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) { if (v === null || v === undefined || v === '') p.delete(k); else p.set(k, v); }
  const segs = (Array.isArray(path) ? path : [path]).map(encodeURIComponent).join('/');
  const qs = p.toString();
  return `#/${segs}${qs ? `?${qs}` : ''}`;
}

export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Change some query parameters of the current route. */
export function setParams(route: Route, changes: Record<string, string | null | undefined>, replace = false): void {
  const p = new URLSearchParams(route.params);
  for (const [k, v] of Object.entries(changes)) { if (v === null || v === undefined || v === '') p.delete(k); else p.set(k, v); }
  const qs = p.toString();
  navigate(`#/${route.path.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`, replace);
}

// Fetching JSON from the API with a small in-memory cache (a report is
// reused by several views of the same query) and a React hook with
// loading / error / data states.

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public body?: unknown,
  ) {
    super(message);
  }
}

const cache = new Map<string, Promise<unknown>>();

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The API's error body `{ error, message }` (or none) as an ApiError. */
function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  let msg = `${status} ${statusText}`;
  const b = body as { message?: string; error?: string | { message?: string } } | null;
  if (typeof b?.message === 'string') msg = b.message;
  else if (typeof b?.error === 'string') msg = b.error;
  else if (b?.error && typeof b.error === 'object' && typeof b.error.message === 'string') msg = b.error.message;
  return new ApiError(status, msg, body);
}

async function readError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  return errorFrom(res.status, res.statusText, body);
}

/** A response client/public/boot.js has already read (its body parsed as soon as it arrived). */
interface Early {
  status: number;
  statusText: string;
  body: unknown;
}

/**
 * Requests client/public/boot.js started before this code loaded (same URLs,
 * same headers), each taken once.
 */
function takeEarly(url: string): Promise<Early> | undefined {
  const early = typeof window === 'undefined' ? undefined : (window as { __sansheEarly?: Record<string, Promise<Early>> }).__sansheEarly;
  const p = early?.[url];
  if (p) delete early[url];
  return p;
}

export async function getJson<T>(url: string, opts: { fresh?: boolean } = {}): Promise<T> {
  if (!opts.fresh && cache.has(url)) return cache.get(url) as Promise<T>;
  const early = takeEarly(url);
  const p = early
    ? early.then((e) => {
        if (e.status < 200 || e.status > 299) throw errorFrom(e.status, e.statusText, e.body);
        return e.body;
      })
    : fetch(url, { headers: { Accept: 'application/json' } }).then(async (res) => {
        if (!res.ok) throw await readError(res);
        return res.json();
      });
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p as Promise<T>;
}

export async function sendJson<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw await readError(res);
  return res.json() as Promise<T>;
}

export function clearCache(): void {
  cache.clear();
  if (typeof window !== 'undefined') (window as { __sansheEarly?: unknown }).__sansheEarly = undefined;
}

/**
 * The data epoch: bumped when the server's data version moves (lib/live.ts).
 * Every useLoad runs its load again, showing what it has until the new data
 * arrives.
 */
let epoch = 0;
const epochListeners = new Set<() => void>();

export function dataChanged(): void {
  clearCache();
  epoch++;
  for (const l of epochListeners) l();
}

function subscribeEpoch(l: () => void): () => void {
  epochListeners.add(l);
  return () => epochListeners.delete(l);
}

const currentEpoch = () => epoch;

export interface Loadable<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` whenever `key` changes; null key = nothing to load yet. */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loadable<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: Error | null }>({ key: null, data: null, error: null });
  const [nonce, setNonce] = useState(0);
  const dataEpoch = useSyncExternalStore(subscribeEpoch, currentEpoch, currentEpoch);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is keyed by `key` (and run again at a new data epoch)
  useEffect(() => {
    if (key === null) return;
    let live = true;
    load().then(
      (data) => live && setState({ key, data, error: null }),
      (error: unknown) => live && setState({ key, data: null, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [key, nonce, dataEpoch]);
  const reload = useCallback(() => {
    clearCache();
    setState((s) => ({ ...s, key: null }));
    setNonce((n) => n + 1);
  }, []);
  const current = state.key === key;
  return { data: current ? state.data : null, error: current ? state.error : null, loading: key !== null && !current, reload };
}

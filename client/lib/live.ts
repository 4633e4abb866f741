// Live data: one server-sent event stream (GET /api/v1/events) says which
// data version the server's numbers are at; when it moves (an import was
// taken in), every view loads its data again (fetch.ts dataChanged) and the
// shell says so. Opened a few seconds after the first page, not while it
// loads; the browser reconnects by itself after a network drop.

import { useEffect, useState } from 'react';
import { dataChanged } from './fetch.ts';

export interface LiveChange {
  version: number;
  /** patched: the server followed the import at once; recomputed: it is recomputing (numbers may follow). */
  mode: 'patched' | 'recomputed' | null;
  at: Date;
}

/** The last data change seen while this page was open (null before any). */
export function useLiveData(enabled: boolean, delayMs = 3000): LiveChange | null {
  const [change, setChange] = useState<LiveChange | null>(null);
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let known: number | null = null;
    const open = () => {
      source = new EventSource('api/v1/events');
      source.addEventListener('open', () => {
        document.documentElement.dataset.live = 'open';
      });
      source.addEventListener('version', (e) => {
        const d = JSON.parse((e as MessageEvent<string>).data) as { version: number; mode: LiveChange['mode'] };
        if (known !== null && d.version !== known) {
          dataChanged();
          setChange({ version: d.version, mode: d.mode, at: new Date() });
        }
        known = d.version;
      });
    };
    const timer = setTimeout(open, delayMs);
    return () => {
      clearTimeout(timer);
      source?.close();
      delete document.documentElement.dataset.live;
    };
  }, [enabled, delayMs]);
  return change;
}

// Printing a dashboard page: while the browser prints (or emulates print),
// tables render every row (a virtual table would print only the rows in
// view) and the page carries the time it was printed.

import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/** The moment the current print started, or null when not printing. */
export function usePrinting(): Date | null {
  const [at, setAt] = useState<Date | null>(() => (typeof window !== 'undefined' && window.matchMedia?.('print').matches ? new Date() : null));
  useEffect(() => {
    const mq = window.matchMedia('print');
    // beforeprint: the print layout follows the handler at once, so render now.
    const on = () => flushSync(() => setAt((a) => a ?? new Date()));
    const off = () => setAt(null);
    const change = (e: MediaQueryListEvent) => (e.matches ? on() : off());
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    mq.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', on);
      window.removeEventListener('afterprint', off);
      mq.removeEventListener('change', change);
    };
  }, []);
  return at;
}

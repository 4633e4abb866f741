// Loaded by index.html before the dashboard's code: starts the requests every
// page needs (session, plans, periods, units, indicators) and, on the
// overview, its one data request, so they run while the JavaScript loads.
// client/lib/fetch.ts takes each once ({ status, statusText, body }), for the same URL; the URLs
// here are those of client/lib/api.ts and overviewUrl() in
// client/pages/overviewData.ts (a browser test checks that nothing is asked
// twice). Plain script: served as it is, not bundled.
(() => {
  const early = {};
  // Each body is parsed as soon as it arrives (the page may still be loading its code then).
  const get = (url) => {
    const p = fetch(url, { headers: { Accept: 'application/json' } }).then((res) =>
      res.json().then(
        (body) => ({ status: res.status, statusText: res.statusText, body }),
        () => ({ status: res.status, statusText: res.statusText, body: null }),
      ),
    );
    p.catch(() => {});
    early[url] = p;
  };
  for (const u of ['session', 'plans', 'periods', 'units?shape=columns', 'indicators']) get(`api/v1/${u}`);
  const h = window.location.hash.replace(/^#/, '');
  const [path, query] = h.split('?', 2);
  const page = (path ?? '').split('/').filter(Boolean)[0];
  if (page === undefined || decodeURIComponent(page) === 'overview') {
    const p = new URLSearchParams(query ?? '');
    const q = new URLSearchParams();
    if (p.get('plan')) q.set('plan', p.get('plan'));
    if (p.get('period')) q.set('period', p.get('period'));
    const level = p.get('level');
    if (level === 'street' || level === 'district') q.set('level', level);
    const s = q.toString();
    get(`api/v1/overview/charts${s ? `?${s}` : ''}`);
  }
  window.__sansheEarly = early;
})();

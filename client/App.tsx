// The shell: meta (plans, periods, units) first, then the layout and the
// page named by the hash route, each page a lazily loaded module.

import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { Controls } from './components/Controls.tsx';
import { ErrorView, Loading } from './components/States.tsx';
import { Login } from './components/Login.tsx';
import { GlobalsProvider, LoginNeeded, useGlobals, useMeta } from './lib/globals.tsx';
import { type Key, useT } from './lib/i18n.ts';
import { href, useRoute } from './lib/url.ts';

const LOADERS = {
  overview: () => import('./pages/Overview.tsx'),
  phase: () => import('./pages/Phase.tsx'),
  community: () => import('./pages/Community.tsx'),
  streets: () => import('./pages/Streets.tsx'),
  acceptance: () => import('./pages/Acceptance.tsx'),
  quality: () => import('./pages/Quality.tsx'),
  import: () => import('./pages/Import.tsx'),
  methodology: () => import('./pages/Methodology.tsx'),
  present: () => import('./pages/Present.tsx'),
  print: () => import('./pages/AcceptancePrint.tsx'),
} as const;
type PageId = keyof typeof LOADERS;
const PAGES = Object.fromEntries(Object.entries(LOADERS).map(([k, f]) => [k, lazy(f)])) as unknown as Record<PageId, ComponentType>;

// The first page's code loads beside the meta requests, not after them.
{
  const first = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'overview';
  if (first in LOADERS) LOADERS[first as PageId]().catch(() => {});
}

const NAV: PageId[] = ['overview', 'phase', 'community', 'streets', 'acceptance', 'quality', 'import', 'methodology', 'present'];

function Shell() {
  const route = useRoute();
  const { t, lang } = useT();
  const id = (route.path[0] in PAGES ? route.path[0] : 'overview') as PageId;
  const Page = PAGES[id];
  const bare = id === 'present' || id === 'print';
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t((id === 'print' ? 'acceptance' : id) as Key)} · ${t('appTitle')}`;
  }, [id, lang, t]);
  if (bare)
    return (
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    );
  return (
    <div className="app">
      <a className="skip" href="#main">
        {lang === 'zh' ? '跳到正文' : 'Skip to content'}
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            三社
          </span>
          <span>{t('appTitle')}</span>
        </div>
        <UserBadge />
        <nav aria-label={lang === 'zh' ? '页面' : 'Pages'}>
          {NAV.map((p) => (
            <a key={p} href={href(p, {}, route.params)} aria-current={p === id ? 'page' : undefined} className={p === id ? 'active' : ''}>
              {t(p as Key)}
            </a>
          ))}
        </nav>
      </header>
      <Controls page={id} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      </main>
    </div>
  );
}

function UserBadge() {
  const g = useGlobals();
  const { lang } = useT();
  const u = g.session?.user;
  if (!u) return null;
  const label = g.session?.demo ? (lang === 'zh' ? u.role_zh : `${u.role} (demo, read-only)`) : `${u.username} · ${lang === 'zh' ? u.role_zh : u.role}`;
  return (
    <span className="user-badge" title={label}>
      {label}
    </span>
  );
}

export function App() {
  const meta = useMeta();
  if (meta.error instanceof LoginNeeded)
    return (
      <main className="boot">
        <Login session={meta.error.session} onDone={() => meta.reload()} />
      </main>
    );
  if (meta.error)
    return (
      <main className="boot">
        <ErrorView error={meta.error} onRetry={meta.reload} />
      </main>
    );
  if (!meta.data)
    return (
      <main className="boot">
        <Loading />
      </main>
    );
  return (
    <GlobalsProvider meta={meta.data}>
      <Shell />
    </GlobalsProvider>
  );
}

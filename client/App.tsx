// The shell: meta (plans, periods, units) first, then the layout and the
// page named by the hash route, each page a lazily loaded module.

import { type ComponentType, lazy, Suspense, useEffect, useState } from 'react';
import { Controls } from './components/Controls.tsx';
import { Login } from './components/Login.tsx';
import { ErrorView, Loading } from './components/States.tsx';
import { api } from './lib/api.ts';
import { fmtDateTime } from './lib/format.ts';
import { GlobalsProvider, LoginNeeded, useGlobals, useMeta } from './lib/globals.tsx';
import { type Key, useT } from './lib/i18n.ts';
import { type LiveChange, useLiveData } from './lib/live.ts';
import { usePrinting } from './lib/printing.ts';
import { href, useRoute } from './lib/url.ts';

/** A page other than the overview, with the ECharts charts it may draw registered first. */
const withExtras = <M,>(page: () => Promise<M>) => () => import('./charts/echarts-extra.ts').then(page);

const LOADERS = {
  overview: () => import('./pages/Overview.tsx'),
  phase: withExtras(() => import('./pages/Phase.tsx')),
  community: withExtras(() => import('./pages/Community.tsx')),
  streets: withExtras(() => import('./pages/Streets.tsx')),
  acceptance: withExtras(() => import('./pages/Acceptance.tsx')),
  quality: withExtras(() => import('./pages/Quality.tsx')),
  import: withExtras(() => import('./pages/Import.tsx')),
  methodology: withExtras(() => import('./pages/Methodology.tsx')),
  present: withExtras(() => import('./pages/Present.tsx')),
  print: withExtras(() => import('./pages/AcceptancePrint.tsx')),
} as const;
type PageId = keyof typeof LOADERS;
const LAZY = Object.fromEntries(Object.entries(LOADERS).map(([k, f]) => [k, lazy(f)])) as unknown as Record<PageId, ComponentType>;
/**
 * Pages whose module has arrived, rendered directly: a lazy page suspends on
 * its first render even when its module is already there, and React holds the
 * content of a suspended boundary back until 300 ms after its fallback showed.
 */
const LOADED: Partial<Record<PageId, ComponentType>> = {};
const CHOSEN: Partial<Record<PageId, ComponentType>> = {};

function loadPage(id: PageId): Promise<void> {
  return LOADERS[id]().then(
    (m) => {
      LOADED[id] = m.default;
    },
    () => {
      // left to the lazy page, which shows the error when it is rendered
    },
  );
}

function pageOf(hash: string): PageId {
  const p = hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'overview';
  return p in LOADERS ? (p as PageId) : 'overview';
}

/**
 * The first page's module, loaded beside the meta requests (index.html
 * preloads it); main.tsx mounts the app once it is there. The other pages
 * load when the pointer or focus reaches their link, or when the browser is
 * idle a few seconds after the first page (not while it loads its data and
 * draws), so a later page change does not wait.
 */
export function firstPageReady(): Promise<void> {
  const first = pageOf(window.location.hash);
  return loadPage(first).then(() => {
    const rest = () => {
      for (const id of Object.keys(LOADERS) as PageId[]) if (id !== first && id !== 'print' && !LOADED[id]) loadPage(id);
    };
    setTimeout(() => ('requestIdleCallback' in window ? window.requestIdleCallback(rest, { timeout: 5000 }) : rest()), 5000);
  });
}

const NAV: PageId[] = ['overview', 'phase', 'community', 'streets', 'acceptance', 'quality', 'import', 'methodology', 'present'];

function Shell() {
  const route = useRoute();
  const { t, lang } = useT();
  const id = (route.path[0] in LOADERS ? route.path[0] : 'overview') as PageId;
  // the first choice for a page sticks: switching it from lazy to loaded later would remount it
  CHOSEN[id] ??= LOADED[id] ?? LAZY[id];
  const Page = CHOSEN[id];
  const bare = id === 'present' || id === 'print';
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t((id === 'print' ? 'acceptance' : id) as Key)} · ${t('appTitle')}`;
  }, [id, lang, t]);
  if (bare)
    return (
      <>
        {/* the big screen of a review meeting follows new data too; a printed report does not */}
        {id === 'present' ? <LiveNotice /> : null}
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      </>
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
            <a
              key={p}
              href={href(p, {}, route.params)}
              aria-current={p === id ? 'page' : undefined}
              className={p === id ? 'active' : ''}
              onPointerEnter={() => LOADED[p] || loadPage(p)}
              onFocus={() => LOADED[p] || loadPage(p)}
            >
              {t(p as Key)}
            </a>
          ))}
        </nav>
      </header>
      <Controls page={id} />
      <PrintStamp />
      <LiveNotice />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      </main>
    </div>
  );
}

/** On paper only: when the page was printed (a review's copy must say which day's numbers it holds). */
function PrintStamp() {
  const { t, lang } = useT();
  const at = usePrinting();
  if (!at) return null;
  const when = fmtDateTime(at.toISOString(), lang);
  return (
    <p id="print-stamp" className="print-stamp">
      {lang === 'zh' ? `${t('appTitle')} · 打印于 ${when} · ${location.href}` : `${t('appTitle')} · printed ${when} · ${location.href}`}
    </p>
  );
}

/** Says, for a while, that the numbers on the page were just reloaded because the server's data changed. */
function LiveNotice() {
  const g = useGlobals();
  const { lang } = useT();
  const change = useLiveData(!!g.session?.user);
  const [shown, setShown] = useState<LiveChange | null>(null);
  useEffect(() => {
    if (!change) return;
    setShown(change);
    const t = setTimeout(() => setShown(null), 12_000);
    return () => clearTimeout(t);
  }, [change]);
  if (!shown) return null;
  const zh = lang === 'zh';
  const time = shown.at.toLocaleTimeString(zh ? 'zh-CN' : 'en', { hour12: false });
  const text =
    shown.mode === 'recomputed'
      ? zh
        ? `↻ 数据已更新（数据版本 ${shown.version}，${time}），部分统计正在重新计算`
        : `↻ Data updated (version ${shown.version}, ${time}); some figures are being recomputed`
      : zh
        ? `↻ 数据已更新（数据版本 ${shown.version}，${time}），页面数字已刷新`
        : `↻ Data updated (version ${shown.version}, ${time}); the numbers on this page were refreshed`;
  return (
    <div id="data-updated" className="live-notice" role="status" data-version={shown.version}>
      {text}
    </div>
  );
}

function UserBadge() {
  const g = useGlobals();
  const { lang } = useT();
  const u = g.session?.user;
  if (!u) return null;
  const label = g.session?.demo ? (lang === 'zh' ? u.role_zh : `${u.role} (demo, read-only)`) : `${u.username} · ${lang === 'zh' ? u.role_zh : u.role}`;
  const signedIn = !!g.session?.authenticated && !g.session.demo;
  const logout = async () => {
    await api.logout(g.session?.csrf_token ?? null).catch(() => undefined);
    // Start again as whoever the server now says we are (a demo visitor, or the login page).
    location.reload();
  };
  return (
    <span className="user-badge" id="user-badge" data-user={signedIn ? u.username : ''}>
      <span className="user-name" title={label}>
        {label}
      </span>
      {signedIn ? (
        <button type="button" className="linkish" id="logout" onClick={logout}>
          {lang === 'zh' ? '退出登录' : 'Sign out'}
        </button>
      ) : null}
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

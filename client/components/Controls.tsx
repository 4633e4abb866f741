// The global controls bar; every change goes to the URL.

import { fmtPeriod } from '../lib/format.ts';
import { useGlobals } from '../lib/globals.tsx';
import { useT } from '../lib/i18n.ts';
import { setParams } from '../lib/url.ts';

export function Controls({ page }: { page: string }) {
  const g = useGlobals();
  const { t, lang } = useT();
  const set = (k: string, v: string | null) => setParams(g.route, { [k]: v });
  const showLevel = page === 'overview' || page === 'phase' || page === 'acceptance';
  return (
    <form className="controls" aria-label={lang === 'zh' ? '全局筛选' : 'Global filters'} onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>{t('plan')}</span>
        <select id="ctl-plan" value={g.plan.id} onChange={(e) => set('plan', e.target.value)}>
          {g.plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name.length > 26 ? `${p.name.slice(0, 26)}…` : p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('period')}</span>
        <select id="ctl-period" value={g.period} onChange={(e) => set('period', e.target.value)}>
          {[...g.periods].reverse().map((p) => (
            <option key={p} value={p}>
              {fmtPeriod(p, lang)}
            </option>
          ))}
        </select>
      </label>
      {showLevel ? (
        <label>
          <span>{t('level')}</span>
          <select id="ctl-level" value={g.level} onChange={(e) => set('level', e.target.value === 'community' ? null : e.target.value)}>
            <option value="community">{t('lvl_community')}</option>
            <option value="street">{t('lvl_street')}</option>
            <option value="district">{t('lvl_district')}</option>
          </select>
        </label>
      ) : null}
      <label>
        <span>{t('street')}</span>
        <select id="ctl-street" value={g.street ?? ''} onChange={(e) => set('street', e.target.value || null)}>
          <option value="">{t('all')}</option>
          {g.streets.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('area')}</span>
        <select id="ctl-area" value={g.area ?? ''} onChange={(e) => set('area', e.target.value || null)}>
          <option value="">{t('all')}</option>
          <option value="urban">{t('urban')}</option>
          <option value="rural">{t('rural')}</option>
        </select>
      </label>
      <span className="spacer" />
      <span className="plan-phase muted small" title={g.plan.name}>
        {g.plan.start} – {g.plan.end}
      </span>
      <button type="button" className="btn small" onClick={() => set('lang', lang === 'zh' ? 'en' : null)} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
        {t('lang')}
      </button>
    </form>
  );
}

// Headline cards: value with unit, target, attainment bar, status and the
// change since the previous quarter.
import type { ValueRow } from '../lib/api.ts';
import { fmtBare, fmtDelta, fmtPct, fmtValue, unitLabel } from '../lib/format.ts';
import { paren, useT } from '../lib/i18n.ts';
import { StatusBadge } from './StatusBadge.tsx';

export function targetText(v: Pick<ValueRow, 'target_kind' | 'target_lo' | 'target_hi' | 'unit'>, lang: 'zh' | 'en'): string {
  const u = v.unit;
  switch (v.target_kind) {
    case 'min':
      return `≥ ${fmtValue(v.target_lo, u, lang)}`;
    case 'max':
      return `≤ ${fmtValue(v.target_hi, u, lang)}`;
    case 'range':
      return `${fmtValue(v.target_lo, u, lang)} – ${fmtValue(v.target_hi, u, lang)}`;
    case 'bool':
      return lang === 'zh' ? '是' : 'yes';
    default:
      return '—';
  }
}

export function effectiveTargetText(v: ValueRow, lang: 'zh' | 'en'): string | null {
  if (v.target_effective_lo === null && v.target_effective_hi === null) return null;
  if (v.target_effective_lo === v.target_lo && v.target_effective_hi === v.target_hi) return null;
  return targetText({ ...v, target_lo: v.target_effective_lo, target_hi: v.target_effective_hi }, lang);
}

export function IndicatorCard({ v, prev, name }: { v: ValueRow; prev?: Pick<ValueRow, 'value'> | null; name: string }) {
  const { t, lang } = useT();
  const delta = prev && v.value !== null && prev.value !== null ? v.value - prev.value : null;
  const eff = effectiveTargetText(v, lang);
  return (
    <article className="card" data-indicator={v.indicator} aria-label={name}>
      <div className="label" title={name}>
        {name}
      </div>
      <div className="big" data-value={v.value ?? ''}>
        {v.value === null || v.unit === '㎡' ? (
          fmtValue(v.value, v.unit, lang)
        ) : (
          <>
            {fmtBare(v.value, v.unit, lang)}
            <span className="unit">{unitLabel(v.unit, lang)}</span>
          </>
        )}
      </div>
      <div className="row">
        <span>
          {t('target')} <b>{v.target_kind ? targetText(v, lang) : lang === 'zh' ? '本方案未设' : 'not in this plan'}</b>
          {eff ? <span title={lang === 'zh' ? '按进度折算目标' : 'pro-rata target'}>{paren(`${lang === 'zh' ? '本期' : 'now'} ${eff}`, lang)}</span> : null}
        </span>
        {v.plan_default ? <span className="tag">{t('planDefault')}</span> : null}
      </div>
      <div className="row">
        <span>
          {t('attainment')} <b>{fmtPct(v.attainment, 0)}</b>
        </span>
        <StatusBadge status={v.status} />
      </div>
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, (v.attainment ?? 0) * 100))}%` }} />
      </div>
      <div className="row">
        {t('vsLast')}{' '}
        <b className={delta === null ? '' : delta > 0 ? 'up' : delta < 0 ? 'down' : ''}>
          {delta === null ? '—' : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '■'} ${fmtDelta(delta, v.unit, lang)}`}
        </b>
      </div>
    </article>
  );
}

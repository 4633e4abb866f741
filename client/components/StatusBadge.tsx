// Status with icon and label, never colour alone.
import { useT } from '../lib/i18n.ts';
import { ratingIcon, STATUS, STATUS_ORDER, type Status } from '../lib/status.ts';

export function StatusBadge({ status, compact }: { status: Status | null | undefined; compact?: boolean }) {
  const { lang } = useT();
  if (!status) return <span className="muted">—</span>;
  const s = STATUS[status];
  const label = s[lang];
  return (
    <span className={`badge st-${status}`} style={{ color: s.color, background: s.bg }} title={label}>
      <span aria-hidden="true">{s.icon}</span>
      {compact ? <span className="sr-only">{label}</span> : <span>{label}</span>}
    </span>
  );
}

/** Every status with its icon and label: the key to compact (icon-only) badges in a table. */
export function StatusLegend() {
  return (
    <span className="legend">
      {STATUS_ORDER.map((s) => (
        <StatusBadge key={s} status={s} />
      ))}
    </span>
  );
}

/** Pass or fail with its mark; compact: the mark alone on screen, the word for screen readers and as the tooltip. */
export function PassBadge({ pass, labels, compact }: { pass: boolean | null; labels?: [string, string]; compact?: boolean }) {
  const { t } = useT();
  if (pass === null) return <StatusBadge status="no_data" compact={compact} />;
  const [yes, no] = labels ?? [t('pass'), t('fail')];
  const word = pass ? yes : no;
  return (
    <span className={`badge ${pass ? 'st-met' : 'st-regressing'}`} style={pass ? { color: '#1a7f4b', background: '#e3f4ea' } : { color: '#c0392b', background: '#fbe5e2' }} title={compact ? word : undefined}>
      <span aria-hidden="true">{pass ? '✔' : '✘'}</span>
      <span className={compact ? 'sr-only' : undefined}>{word}</span>
    </span>
  );
}

export function RatingBadge({ rating, label }: { rating: string; label: string }) {
  const color: Record<string, string> = { 优秀: '#1a7f4b', 良好: '#2f6fca', 合格: '#b7791f', 不合格: '#c0392b' };
  return (
    <span className="badge rating" style={{ color: '#fff', background: color[rating] ?? '#6b7280' }}>
      <span aria-hidden="true">{ratingIcon(rating)}</span>
      <span>{label}</span>
    </span>
  );
}

/** A projection's verdict against its target: mark and word (可达标 / 难达标), nothing when there is none. */
export function Verdict({ reaches }: { reaches: boolean | null }) {
  const { t } = useT();
  if (reaches === null) return null;
  return reaches ? <span className="verdict ok">✔ {t('reaches')}</span> : <span className="verdict no">✘ {t('notReaches')}</span>;
}

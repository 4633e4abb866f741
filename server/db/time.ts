// Instants in the store are TIMESTAMP columns holding UTC (written from
// Date.toISOString()). They leave the store as ISO 8601 with a Z, so that a
// browser or a script turns them into its own local time: a bare
// "2026-11-25 08:10:57" reads as local time and puts a Beijing user's
// import 8 hours early.

/** SQL: the UTC instant in column `col` as ISO 8601 text, e.g. 2026-11-25T08:10:57Z. */
export function utcIsoSql(col: string): string {
  return `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;
}

/**
 * A date or date-time from a user (YYYY-MM-DD, or with a time, and with Z or
 * an offset such as +08:00) as the UTC text a TIMESTAMP column compares
 * with. Without an offset the time is taken as UTC. Null when unreadable.
 */
export function toUtcText(s: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  const offset = m[3] ? (m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const d = new Date(`${m[1]}T${m[2] ?? '00:00'}${m[2]?.length === 5 ? ':00' : ''}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 19).replace('T', ' ');
}

/** An ISO instant as the reader's local wall-clock time with its UTC offset: 2026-11-25 16:10:57 (UTC+08:00). */
export function localStamp(iso: string | null): string {
  const date = new Date(iso ?? NaN);
  if (Number.isNaN(date.getTime())) return iso ?? '—';
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())} (UTC${sign}${p(Math.floor(a / 60))}:${p(a % 60)})`;
}

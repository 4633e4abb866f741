// Progress statuses and ratings: icon + label + colour, never colour alone.
import type { Lang } from './i18n.ts';

export type Status = 'met' | 'on_track' | 'behind' | 'regressing' | 'no_data';

export const STATUS: Record<Status, { icon: string; zh: string; en: string; color: string; bg: string }> = {
  met: { icon: '✔', zh: '达标', en: 'Met', color: '#1a7f4b', bg: '#e3f4ea' },
  on_track: { icon: '➚', zh: '按进度', en: 'On track', color: '#2f6fca', bg: '#e5eefb' },
  behind: { icon: '⚠', zh: '滞后', en: 'Behind', color: '#b7791f', bg: '#fdf3dc' },
  regressing: { icon: '▼', zh: '倒退', en: 'Regressing', color: '#c0392b', bg: '#fbe5e2' },
  no_data: { icon: '∅', zh: '无数据', en: 'No data', color: '#6b7280', bg: '#eef0f2' },
};
export const STATUS_ORDER: Status[] = ['met', 'on_track', 'behind', 'regressing', 'no_data'];

/** Behind its milestone or going backwards: the targets a review asks about first. */
export const isLagging = (s: Status | null | undefined): boolean => s === 'behind' || s === 'regressing';

/** Ratings: the icon beside the colour (badges, the ranking's bar labels and keys). */
export const RATING_ICON: Record<string, string> = { 优秀: '★', 良好: '▲', 合格: '●', 不合格: '✘' };
export const ratingIcon = (r: string): string => RATING_ICON[r] ?? '•';

export function statusLabel(s: Status, lang: Lang): string {
  return STATUS[s][lang];
}

/** Pure helpers of the health dashboard and the participation badges (no I/O; unit-tested). */

export const LEVELS = ['leader', 'core', 'active', 'peripheral', 'newcomer'] as const;
export type Level = (typeof LEVELS)[number];

export const levelLabel: Record<Level, string> = {
  newcomer: 'Newcomer',
  peripheral: 'Peripheral',
  active: 'Active',
  core: 'Core',
  leader: 'Leader',
};

export const levelHint: Record<Level, string> = {
  newcomer: 'Joined, maybe asked: just arrived',
  peripheral: 'Takes part now and then: an occasional reply',
  active: 'Answers regularly',
  core: 'Many answers, several accepted',
  leader: 'Leads the community: a leader role or sustained core work',
};

export const isLevel = (value: string | null | undefined): value is Level => (LEVELS as readonly string[]).includes(value ?? '');

export const PRESETS = [
  { id: '4w', label: '4 weeks', weeks: 4 },
  { id: '12w', label: '12 weeks', weeks: 12 },
  { id: '26w', label: '6 months', weeks: 26 },
  { id: '52w', label: '1 year', weeks: 52 },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The from/to (YYYY-MM-DD, `to` included) of a preset: whole weeks ending with today's. */
export function presetPeriod(id: PresetId, today: Date): { from: string; to: string } {
  const preset = PRESETS.find((p) => p.id === id) ?? PRESETS[1];
  const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
  return { from: isoDay(new Date(monday.getTime() - (preset.weeks - 1) * 7 * DAY)), to: isoDay(day) };
}

/** Minutes as the dashboard says them: "45 min", "3.5 h", "2.1 days"; "–" for none. */
export function formatDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '–';
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}

/** A 0–1 share as a whole percentage; "–" for none. */
export const formatShare = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`;

/** "Mar 2" for a week start (UTC). */
export const weekLabel = (isoDate: string): string =>
  new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Width (percent) of a bar among others, at least a sliver for a non-zero value. */
export const barWidth = (value: number, max: number): number => (max <= 0 || value <= 0 ? 0 : Math.max(2, Math.round((value / max) * 100)));

import i18next from 'i18next';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { type EffectivePreferences, usePreferences } from '../prefs/preferences';

/**
 * Dates, numbers and durations in the agent's language, calendar (Gregorian or Jalali via
 * `Intl.DateTimeFormat(…, { calendar: 'persian' })`) and digits (Latin or Persian).
 */

export interface Format {
  date(d: string | Date): string;
  dateTime(d: string | Date): string;
  time(d: string | Date): string;
  number(n: number): string;
  /** A number without grouping (ticket numbers, years). */
  plain(n: number): string;
  /** A ratio as a percentage: 0.875 → "88%" / "۸۸٪". */
  percent(ratio: number): string;
  /** A length of time, e.g. "2h 5m" / "۲ ساعت ۵ دقیقه"; the sign is ignored. */
  duration(ms: number): string;
  /** "5 minutes ago", "in 2 hours". */
  relative(d: string | Date): string;
}

const toDate = (d: string | Date) => (d instanceof Date ? d : new Date(d));

export function createFormat(prefs: EffectivePreferences): Format {
  const calendar = prefs.calendar === 'persian' ? 'persian' : 'gregory';
  const base = { calendar, numberingSystem: prefs.digits } as const;
  const dateF = new Intl.DateTimeFormat(prefs.language, { ...base, year: 'numeric', month: 'short', day: 'numeric' });
  const dateTimeF = new Intl.DateTimeFormat(prefs.language, { ...base, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const timeF = new Intl.DateTimeFormat(prefs.language, { ...base, hour: '2-digit', minute: '2-digit' });
  const numberF = new Intl.NumberFormat(prefs.language, { numberingSystem: prefs.digits });
  const plainF = new Intl.NumberFormat(prefs.language, { numberingSystem: prefs.digits, useGrouping: false });
  const percentF = new Intl.NumberFormat(prefs.language, { numberingSystem: prefs.digits, style: 'percent', maximumFractionDigits: 0 });
  const relativeF = new Intl.RelativeTimeFormat(prefs.language, { numeric: 'auto', numberingSystem: prefs.digits } as Intl.RelativeTimeFormatOptions);
  const t = i18next.getFixedT(prefs.language, 'common');
  const unit = (key: 'd' | 'h' | 'm' | 's', n: number) => t(`units.${key}`, { n: numberF.format(n) });

  return {
    date: (d) => dateF.format(toDate(d)),
    dateTime: (d) => dateTimeF.format(toDate(d)),
    time: (d) => timeF.format(toDate(d)),
    number: (n) => numberF.format(n),
    plain: (n) => plainF.format(n),
    percent: (ratio) => percentF.format(ratio),
    duration(ms) {
      const total = Math.floor(Math.abs(ms) / 1000);
      const d = Math.floor(total / 86400);
      const h = Math.floor((total % 86400) / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      if (d > 0) return h ? `${unit('d', d)} ${unit('h', h)}` : unit('d', d);
      if (h > 0) return m ? `${unit('h', h)} ${unit('m', m)}` : unit('h', h);
      if (m >= 10) return unit('m', m);
      if (m > 0) return s ? `${unit('m', m)} ${unit('s', s)}` : unit('m', m);
      return unit('s', s);
    },
    relative(d) {
      const diff = (toDate(d).getTime() - Date.now()) / 1000;
      const abs = Math.abs(diff);
      if (abs < 45) return relativeF.format(0, 'second');
      if (abs < 3600) return relativeF.format(Math.round(diff / 60), 'minute');
      if (abs < 86400) return relativeF.format(Math.round(diff / 3600), 'hour');
      if (abs < 86400 * 30) return relativeF.format(Math.round(diff / 86400), 'day');
      if (abs < 86400 * 365) return relativeF.format(Math.round(diff / (86400 * 30)), 'month');
      return relativeF.format(Math.round(diff / (86400 * 365)), 'year');
    },
  };
}

// Intl formatters are costly to build (about a millisecond each): one set per settings, shared by
// every component, instead of one per mounted row.
let cached: { prefs: EffectivePreferences; format: Format } | null = null;

function formatFor(prefs: EffectivePreferences): Format {
  if (cached?.prefs !== prefs) cached = { prefs, format: createFormat(prefs) };
  return cached.format;
}

export function useFormat(): Format {
  return formatFor(usePreferences());
}

// One shared clock for every live countdown: one timer, however many badges are on screen.
let now = Date.now();
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | null = null;

function subscribeClock(listener: () => void): () => void {
  clockListeners.add(listener);
  if (!clockTimer) {
    now = Date.now();
    clockTimer = setInterval(() => {
      now = Date.now();
      clockListeners.forEach((l) => l());
    }, 1000);
  }
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clockTimer) {
      clearInterval(clockTimer);
      clockTimer = null;
    }
  };
}

/** The current time, re-rendering every second (shared timer). */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, () => now, () => now);
}

/** The current time, re-rendering every `intervalMs` (for coarse "5 minutes ago" labels). */
export function useNowEvery(intervalMs: number): number {
  const [value, setValue] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setValue(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return value;
}

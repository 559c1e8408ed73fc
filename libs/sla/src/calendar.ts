import { DateTime, IANAZone } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Monday first, matching Luxon's `weekday` (1 = Monday … 7 = Sunday). */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * When a team works, in its own time zone. A window is `['HH:mm', 'HH:mm']` in local wall-clock time;
 * the end may be '24:00', and a window whose end is at or before its start runs past midnight into the
 * next day (mon ['22:00', '06:00'] is Monday 22:00 → Tuesday 06:00).
 */
export interface BusinessCalendar {
  /** IANA time zone, e.g. 'Asia/Tehran'. */
  timezone: string;
  /** Several windows per day; a missing day has none. */
  weekly: Record<Weekday, Array<[string, string]>>;
  /** 'YYYY-MM-DD' local dates in `timezone` with no business time at all. */
  holidays: string[];
}

export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

/** 24/7 in UTC, for policies measured in calendar time rather than business time. */
export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({
  timezone: 'UTC',
  weekly: Object.freeze({
    mon: [['00:00', '24:00']],
    tue: [['00:00', '24:00']],
    wed: [['00:00', '24:00']],
    thu: [['00:00', '24:00']],
    fri: [['00:00', '24:00']],
    sat: [['00:00', '24:00']],
    sun: [['00:00', '24:00']],
  }) as BusinessCalendar['weekly'],
  holidays: Object.freeze([]) as unknown as string[],
});

/** More than this per day is almost certainly a generated or broken calendar, not a team's hours. */
export const MAX_WINDOWS_PER_DAY = 10;

export const MINUTES_PER_DAY = 24 * 60;

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight for 'HH:mm' (0 … 1440), or null when it is not a valid time. */
export function parseTimeOfDay(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = TIME.exec(value);
  if (!match) return null;
  return match[3] ? MINUTES_PER_DAY : Number(match[1]) * 60 + Number(match[2]);
}

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2027-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  return DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/**
 * A window as minutes from the start of its own day: `end` is above 1440 for a window that runs past
 * midnight, so windows of one day compare as plain numeric intervals.
 */
export interface WindowMinutes {
  start: number;
  end: number;
}

/**
 * Turns a `['HH:mm', 'HH:mm']` pair into minutes, or null when the pair is malformed or empty.
 * '24:00' is only an end; an end at or before the start means the window runs into the next day.
 */
export function windowMinutes(window: unknown): WindowMinutes | null {
  if (!Array.isArray(window) || window.length !== 2) return null;
  const start = parseTimeOfDay(window[0]);
  const end = parseTimeOfDay(window[1]);
  if (start === null || end === null || start === MINUTES_PER_DAY) return null;
  if (end === start) return null;
  return { start, end: end > start ? end : end + MINUTES_PER_DAY };
}

/**
 * Validates a calendar as the API receives it: `{ timezone, weekly: { mon: [['08:00', '17:00']], … },
 * holidays?: ['2027-03-21'] }`. Returns a normalised copy (every weekday present, windows sorted by start,
 * holidays sorted and unique). Throws CalendarError naming the first bad field.
 */
export function parseCalendar(input: unknown): BusinessCalendar {
  if (!isPlainObject(input)) throw new CalendarError('calendar must be an object { timezone, weekly, holidays }');
  for (const key of Object.keys(input)) {
    // A misspelt `holiday` silently ignored would mean a team is measured on its day off.
    if (key !== 'timezone' && key !== 'weekly' && key !== 'holidays') {
      throw new CalendarError(`${key} is not a calendar field (expected timezone, weekly, holidays)`);
    }
  }

  const timezone = input.timezone;
  if (typeof timezone !== 'string' || timezone.trim() === '' || !IANAZone.isValidZone(timezone)) {
    throw new CalendarError('timezone must be an IANA time zone such as Asia/Tehran');
  }

  const weeklyInput = input.weekly;
  if (!isPlainObject(weeklyInput)) {
    throw new CalendarError('weekly must be an object with days mon, tue, wed, thu, fri, sat, sun');
  }
  for (const key of Object.keys(weeklyInput)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      throw new CalendarError(`weekly.${key} is not a weekday (use mon, tue, wed, thu, fri, sat, sun)`);
    }
  }

  const weekly = {} as BusinessCalendar['weekly'];
  const minutesByDay = {} as Record<Weekday, WindowMinutes[]>;
  for (const day of WEEKDAYS) {
    const windows = weeklyInput[day];
    if (windows === undefined) {
      weekly[day] = [];
      minutesByDay[day] = [];
      continue;
    }
    if (!Array.isArray(windows)) throw new CalendarError(`weekly.${day} must be an array of ["HH:mm","HH:mm"] windows`);
    if (windows.length > MAX_WINDOWS_PER_DAY) {
      throw new CalendarError(`weekly.${day} has ${windows.length} windows; at most ${MAX_WINDOWS_PER_DAY} are allowed`);
    }
    const parsed = windows.map((window: unknown, index: number) => {
      const field = `weekly.${day}[${index}]`;
      if (!Array.isArray(window) || window.length !== 2 || parseTimeOfDay(window[0]) === null || parseTimeOfDay(window[1]) === null) {
        throw new CalendarError(`${field} must be ["HH:mm","HH:mm"]`);
      }
      if (window[0] === '24:00') throw new CalendarError(`${field} cannot start at 24:00 (use 00:00 of the next day)`);
      const minutes = windowMinutes(window);
      if (!minutes) {
        throw new CalendarError(`${field} is empty: it starts and ends at ${window[0]} (use ["00:00","24:00"] for a whole day)`);
      }
      return { index, window: [window[0], window[1]] as [string, string], minutes };
    });
    parsed.sort((a, b) => a.minutes.start - b.minutes.start);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i].minutes.start < parsed[i - 1].minutes.end) {
        throw new CalendarError(`weekly.${day}[${parsed[i].index}] overlaps weekly.${day}[${parsed[i - 1].index}]`);
      }
    }
    weekly[day] = parsed.map((p) => p.window);
    minutesByDay[day] = parsed.map((p) => p.minutes);
  }

  // A window running past midnight must not overlap the next day's first windows either; otherwise the
  // same hours are written twice and one of them is surely a typo.
  WEEKDAYS.forEach((day, i) => {
    const next = WEEKDAYS[(i + 1) % 7];
    for (const [index, window] of minutesByDay[day].entries()) {
      if (window.end <= MINUTES_PER_DAY) continue;
      const tailEnd = window.end - MINUTES_PER_DAY;
      const clash = minutesByDay[next].findIndex((w) => w.start < tailEnd);
      if (clash !== -1) {
        throw new CalendarError(`weekly.${next}[${clash}] overlaps weekly.${day}[${index}], which runs past midnight`);
      }
    }
  });

  if (WEEKDAYS.every((day) => weekly[day].length === 0)) {
    throw new CalendarError('weekly must have at least one window');
  }

  const holidaysInput = input.holidays ?? [];
  if (!Array.isArray(holidaysInput)) throw new CalendarError('holidays must be an array of dates YYYY-MM-DD');
  holidaysInput.forEach((value: unknown, index: number) => {
    if (!isIsoDate(value)) throw new CalendarError(`holidays[${index}] must be a date YYYY-MM-DD`);
  });
  // ISO dates sort correctly as strings.
  const holidays = [...new Set(holidaysInput as string[])].sort();

  return { timezone, weekly, holidays };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

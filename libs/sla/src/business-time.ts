import { DateTime, IANAZone } from 'luxon';
import { BusinessCalendar, CalendarError, MINUTES_PER_DAY, WEEKDAYS, WindowMinutes, windowMinutes } from './calendar';

/*
 * Business time is REAL elapsed time inside the calendar's windows. Windows are wall-clock times in the
 * calendar's zone; each is turned into an instant with these rules:
 *  - a wall time that occurs twice (autumn fall-back) means its FIRST occurrence, so a 01:00–04:00
 *    window on New York's fall-back night opens at 01:00 EDT and lasts 4 real hours;
 *  - a wall time that does not exist (spring-forward gap) means the first instant the clock shows that
 *    time or later, i.e. the end of the gap: 02:30 on New York's spring-forward day is 03:00 EDT.
 *    (Both rules amount to "the first instant at which the local clock reads at least that time", so a
 *    later wall time never maps to an earlier instant.)
 * Holidays remove whatever part of a window falls on that local date: an overnight window starting the
 * evening before a holiday keeps its part before midnight and loses the rest; one starting on the
 * holiday loses its evening but keeps its part after midnight, unless the next date is a holiday too.
 */

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** A continuous run longer than this is handed out in pieces, so a 24/7 calendar does not merge forever. */
const MAX_MERGED_MS = 7 * MS_PER_DAY;

/** The instant `seconds` of business time after `start`; seconds = 0 gives the next business instant at or after start. */
export function addBusinessSeconds(calendar: BusinessCalendar, start: Date, seconds: number): Date {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`seconds must be a finite number >= 0, got ${seconds}`);
  const from = instantMs(start, 'start');
  let remaining = seconds * MS_PER_SECOND;
  for (const [intervalStart, intervalEnd] of intervalsMs(calendar, from)) {
    const begin = Math.max(intervalStart, from);
    // `<=` so a target that ends exactly at closing time is due at closing time, not at the next opening.
    if (remaining <= intervalEnd - begin) return new Date(begin + remaining);
    remaining -= intervalEnd - begin;
  }
  throw new Error('unreachable: business intervals never run out');
}

/** Business seconds in [from, to); 0 when to <= from. May be fractional when the instants carry milliseconds. */
export function businessSecondsBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const fromMs = instantMs(from, 'from');
  const toMs = instantMs(to, 'to');
  // Still validates the calendar, so a broken one fails the same way for every input.
  const intervals = intervalsMs(calendar, fromMs);
  if (toMs <= fromMs) return 0;
  let totalMs = 0;
  for (const [intervalStart, intervalEnd] of intervals) {
    if (intervalStart >= toMs) break;
    totalMs += Math.min(intervalEnd, toMs) - Math.max(intervalStart, fromMs);
  }
  return totalMs / MS_PER_SECOND;
}

/** Whether `at` lies inside a business interval; windows are [start, end), so closing time is not business time. */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
  const atMs = instantMs(at, 'at');
  const first = intervalsMs(calendar, atMs).next();
  return !first.done && first.value[0] <= atMs;
}

/**
 * Concrete business intervals [start, end) in order, beginning with the one that contains `from` (whose
 * start may be before `from`) or else the first one after it. Adjacent pieces — Mon 22:00–24:00 and
 * Tue 00:00–06:00, or the days of a 24/7 calendar — are merged, up to a week per interval. Infinite.
 */
export function businessIntervals(calendar: BusinessCalendar, from: Date): Generator<[Date, Date]> {
  const intervals = intervalsMs(calendar, instantMs(from, 'from'));
  return (function* () {
    for (const [start, end] of intervals) yield [new Date(start), new Date(end)];
  })();
}

function instantMs(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

/** A local calendar date; month 1–12. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The calendar prepared for iteration: for each Luxon weekday (1 = Monday), the wall-clock pieces that
 * lie on that date, in minutes 0…1440 — its own windows cut at midnight plus the after-midnight tails of
 * the previous day's overnight windows, sorted and merged.
 */
interface CompiledCalendar {
  zone: IANAZone;
  piecesByWeekday: WindowMinutes[][];
  holidays: Set<string>;
}

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const zone = IANAZone.create(calendar.timezone);
  if (!zone.isValid) throw new CalendarError('timezone must be an IANA time zone such as Asia/Tehran');

  const windowsByDay = WEEKDAYS.map((day) =>
    (calendar.weekly[day] ?? []).map((window, index) => {
      const minutes = windowMinutes(window);
      // Calendars normally come through parseCalendar; this catches one built by hand.
      if (!minutes) throw new CalendarError(`weekly.${day}[${index}] must be ["HH:mm","HH:mm"] and not empty`);
      return minutes;
    }),
  );
  if (windowsByDay.every((windows) => windows.length === 0)) throw new CalendarError('the calendar has no business hours');

  const piecesByWeekday: WindowMinutes[][] = [[]];
  for (let i = 0; i < 7; i++) {
    const own = windowsByDay[i].map((w) => ({ start: w.start, end: Math.min(w.end, MINUTES_PER_DAY) }));
    const tails = windowsByDay[(i + 6) % 7]
      .filter((w) => w.end > MINUTES_PER_DAY)
      .map((w) => ({ start: 0, end: w.end - MINUTES_PER_DAY }));
    piecesByWeekday[i + 1] = mergeMinutes([...own, ...tails]);
  }
  return { zone, piecesByWeekday, holidays: new Set(calendar.holidays ?? []) };
}

function mergeMinutes(pieces: WindowMinutes[]): WindowMinutes[] {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const merged: WindowMinutes[] = [];
  for (const piece of sorted) {
    const last = merged[merged.length - 1];
    if (last && piece.start <= last.end) last.end = Math.max(last.end, piece.end);
    else merged.push({ ...piece });
  }
  return merged;
}

/**
 * Validates the calendar eagerly (a generator body would only run on the first `next()`), then walks
 * local dates from the day before the one `from` falls on. Each date gives only the pieces on that
 * date, so a holiday drops exactly its own date; a piece ending at local midnight touches the next
 * date's first piece, and those are merged.
 */
function intervalsMs(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  const compiled = compile(calendar);
  return (function* () {
    // Start a date early, so the interval containing `from` reports where it really began (an
    // overnight window opened the evening before); runs that end by `from` are dropped unseen.
    const local = DateTime.fromMillis(from, { zone: compiled.zone });
    let date = addDays({ year: local.year, month: local.month, day: local.day }, -1);
    let pending: [number, number] | null = null;
    for (;;) {
      const pieces = piecesOnDate(compiled, date);
      // Later dates start later still, so a date with nothing to add ends the run.
      if (pieces.length === 0 && pending) {
        if (pending[1] > from) yield pending;
        pending = null;
      }
      for (const [start, end] of pieces) {
        if (pending && start <= pending[1] && pending[1] - pending[0] < MAX_MERGED_MS) {
          pending[1] = Math.max(pending[1], end);
          continue;
        }
        if (pending && pending[1] > from) yield pending;
        pending = [start, end];
      }
      date = addDays(date, 1);
    }
  })();
}

function piecesOnDate(compiled: CompiledCalendar, date: LocalDate): Array<[number, number]> {
  if (compiled.holidays.has(isoDate(date))) return [];
  const pieces = compiled.piecesByWeekday[weekday(date)];
  if (pieces.length === 0) return [];
  const toInstant = wallClockOn(compiled.zone, date);
  const result: Array<[number, number]> = [];
  for (const piece of pieces) {
    const start = toInstant(piece.start);
    const end = toInstant(piece.end);
    // A piece that lies wholly inside a spring-forward gap has no real time.
    if (end <= start) continue;
    const last = result[result.length - 1];
    // Pieces either side of a gap can meet once the gap is skipped (01:00–02:00 and 03:00–04:00 on
    // New York's spring-forward day both touch 03:00 EDT).
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else result.push([start, end]);
  }
  return result;
}

/**
 * Converts minutes of wall-clock time on `date` (0…1440) to instants. Luxon is slow enough (several µs
 * per offset lookup) that a 30-day target took ~4 ms doing every conversion the careful way (~1 ms
 * now), so a date whose offset is the same from well before its first minute to well after its last (zones
 * are within ±14 h of UTC) converts with that one offset; each result is still checked against
 * Luxon's offset at that instant, and any doubt goes to wallClockToInstant.
 */
function wallClockOn(zone: IANAZone, date: LocalDate): (minuteOfDay: number) => number {
  const wallMidnight = Date.UTC(date.year, date.month - 1, date.day);
  const offset = zone.offset(wallMidnight - 18 * MS_PER_HOUR);
  const steady = offset === zone.offset(wallMidnight + MS_PER_DAY + 18 * MS_PER_HOUR);
  return (minuteOfDay) => {
    if (steady) {
      const ms = wallMidnight + (minuteOfDay - offset) * MS_PER_MINUTE;
      if (zone.offset(ms) === offset) return ms;
    }
    return wallClockToInstant(zone, date, minuteOfDay);
  };
}

/**
 * The first instant at which the local clock in `zone` reads at least `minuteOfDay` on `date`
 * (1440 = midnight starting the next date). See the rules at the top of this file.
 */
function wallClockToInstant(zone: IANAZone, date: LocalDate, minuteOfDay: number): number {
  const target = minuteOfDay >= MINUTES_PER_DAY ? addDays(date, 1) : date;
  const hour = Math.floor((minuteOfDay % MINUTES_PER_DAY) / 60);
  const minute = minuteOfDay % 60;
  const resolved = DateTime.fromObject({ year: target.year, month: target.month, day: target.day, hour, minute }, { zone });
  const ms = resolved.toMillis();

  // Luxon moves a wall time inside a gap forward by the gap's length (02:30 → 03:30 EDT); we want the
  // end of the gap instead, which is where the offset changes.
  if (resolved.day !== target.day || resolved.hour !== hour || resolved.minute !== minute) {
    return transitionBefore(zone, ms);
  }

  // Luxon picks the later occurrence of a repeated wall time; an earlier one exists when the offset just
  // before was larger and that offset, applied to the same wall time, is really in force there.
  const offsetBefore = zone.offset(ms - MS_PER_DAY);
  const offsetNow = zone.offset(ms);
  if (offsetBefore > offsetNow) {
    const earlier = ms - (offsetBefore - offsetNow) * MS_PER_MINUTE;
    if (zone.offset(earlier) === offsetBefore) return earlier;
  }
  return ms;
}

/** The instant (to the second) at which the offset in force at `after` began, searched back up to a day. */
function transitionBefore(zone: IANAZone, after: number): number {
  const offsetAfter = zone.offset(after);
  let low = after - MS_PER_DAY; // assumed to be before the transition: zones change offset at most once a day
  let high = after;
  while (high - low > MS_PER_SECOND) {
    const mid = low + Math.floor((high - low) / 2 / MS_PER_SECOND) * MS_PER_SECOND;
    if (zone.offset(mid) === offsetAfter) high = mid;
    else low = mid;
  }
  return high;
}

// Plain civil-date arithmetic, no time zone involved: JavaScript's UTC calendar has 24-hour days.
function addDays(date: LocalDate, days: number): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** Luxon's numbering: 1 = Monday … 7 = Sunday. */
function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

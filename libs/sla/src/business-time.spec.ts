import { DateTime } from 'luxon';
import { addBusinessSeconds, businessIntervals, businessSecondsBetween, isBusinessTime } from './business-time';
import { ALWAYS_OPEN, BusinessCalendar, CalendarError, Weekday, parseCalendar } from './calendar';

// Expected instants are written in the calendar's own offset, so each can be checked against a wall clock.
// Reference week: Monday 2027-06-07 … Sunday 2027-06-13 (Berlin +02:00, New York -04:00, Tehran +03:30).

const HOUR = 3600;
const MINUTE = 60;

function calendar(timezone: string, weekly: Partial<Record<Weekday, string[][]>>, holidays: string[] = []): BusinessCalendar {
  return parseCalendar({ timezone, weekly, holidays });
}

const every = (windows: string[][]): Record<Weekday, string[][]> => ({
  mon: windows,
  tue: windows,
  wed: windows,
  thu: windows,
  fri: windows,
  sat: windows,
  sun: windows,
});
const weekdays = (windows: string[][]): Partial<Record<Weekday, string[][]>> => ({
  mon: windows,
  tue: windows,
  wed: windows,
  thu: windows,
  fri: windows,
});

/** The instant as ISO with the calendar's offset, e.g. '2027-06-07T12:00:00+02:00'. */
function local(date: Date, cal: BusinessCalendar): string {
  return DateTime.fromJSDate(date, { zone: cal.timezone }).toISO({ suppressMilliseconds: true }) as string;
}

const at = (iso: string): Date => new Date(iso);

const BERLIN_9_TO_5 = calendar('Europe/Berlin', weekdays([['09:00', '17:00']]));
const NEW_YORK_LUNCH = calendar('America/New_York', weekdays([['09:00', '12:00'], ['13:00', '17:00']]));
const BERLIN_NIGHTS = calendar('Europe/Berlin', weekdays([['22:00', '06:00']]));
const TEHRAN_WEEK = {
  sat: [['08:00', '16:00']],
  sun: [['08:00', '16:00']],
  mon: [['08:00', '16:00']],
  tue: [['08:00', '16:00']],
  wed: [['08:00', '16:00']],
  thu: [['08:00', '12:00']],
};
const NOWRUZ = ['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24'];
const TEHRAN = calendar('Asia/Tehran', TEHRAN_WEEK);
const TEHRAN_NOWRUZ = calendar('Asia/Tehran', TEHRAN_WEEK, NOWRUZ);
// Tuesday 2027-06-08 off.
const BERLIN_9_TO_5_TUE_OFF = calendar('Europe/Berlin', weekdays([['09:00', '17:00']]), ['2027-06-08']);
const BERLIN_NIGHTS_TUE_OFF = calendar('Europe/Berlin', weekdays([['22:00', '06:00']]), ['2027-06-08']);

describe('addBusinessSeconds', () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    // Plain Mon–Fri 09:00–17:00 in Berlin.
    ['inside a window', BERLIN_9_TO_5, '2027-06-07T10:00:00+02:00', 2 * HOUR, '2027-06-07T12:00:00+02:00'],
    ['past closing into the next day', BERLIN_9_TO_5, '2027-06-07T15:00:00+02:00', 4 * HOUR, '2027-06-08T11:00:00+02:00'],
    ['before opening', BERLIN_9_TO_5, '2027-06-07T07:30:00+02:00', 1 * HOUR, '2027-06-07T10:00:00+02:00'],
    ['after closing', BERLIN_9_TO_5, '2027-06-07T18:00:00+02:00', 1 * HOUR, '2027-06-08T10:00:00+02:00'],
    ['exactly to closing time (due at 17:00, not next morning)', BERLIN_9_TO_5, '2027-06-07T09:00:00+02:00', 8 * HOUR, '2027-06-07T17:00:00+02:00'],
    ['over a weekend', BERLIN_9_TO_5, '2027-06-11T16:00:00+02:00', 2 * HOUR, '2027-06-14T10:00:00+02:00'],
    ['from a Saturday', BERLIN_9_TO_5, '2027-06-12T12:00:00+02:00', 30 * MINUTE, '2027-06-14T09:30:00+02:00'],
    ['50 business hours, more than a week', BERLIN_9_TO_5, '2027-06-07T09:00:00+02:00', 50 * HOUR, '2027-06-15T11:00:00+02:00'],
    ['seconds, not just hours', BERLIN_9_TO_5, '2027-06-07T16:59:30+02:00', 45, '2027-06-08T09:00:15+02:00'],

    // Two windows a day with a lunch gap, in New York.
    ['across the lunch gap', NEW_YORK_LUNCH, '2027-06-07T11:00:00-04:00', 2 * HOUR, '2027-06-07T14:00:00-04:00'],
    ['from inside the lunch gap', NEW_YORK_LUNCH, '2027-06-07T12:30:00-04:00', 1 * HOUR, '2027-06-07T14:00:00-04:00'],
    ['exactly to the start of lunch', NEW_YORK_LUNCH, '2027-06-07T09:00:00-04:00', 3 * HOUR, '2027-06-07T12:00:00-04:00'],
    ['a full day: 1 h Monday, 3 h + 4 h Tuesday, due at Tuesday closing', NEW_YORK_LUNCH, '2027-06-07T16:00:00-04:00', 8 * HOUR, '2027-06-08T17:00:00-04:00'],

    // Overnight Mon–Fri 22:00 → 06:00 next morning, in Berlin.
    ['from 23:00 inside the night', BERLIN_NIGHTS, '2027-06-07T23:00:00+02:00', 2 * HOUR, '2027-06-08T01:00:00+02:00'],
    ['from 02:00 inside the night, past 06:00', BERLIN_NIGHTS, '2027-06-08T02:00:00+02:00', 5 * HOUR, '2027-06-08T23:00:00+02:00'],
    ['from Monday 02:00 (Sunday has no night)', BERLIN_NIGHTS, '2027-06-07T02:00:00+02:00', 1 * HOUR, '2027-06-07T23:00:00+02:00'],
    ['from Friday night over the weekend', BERLIN_NIGHTS, '2027-06-11T23:00:00+02:00', 8 * HOUR, '2027-06-14T23:00:00+02:00'],
    ['exactly through midnight', BERLIN_NIGHTS, '2027-06-07T22:00:00+02:00', 8 * HOUR, '2027-06-08T06:00:00+02:00'],

    // Iranian week: Sat–Wed 08:00–16:00, Thu 08:00–12:00, Friday closed; Tehran is +03:30 all year.
    ['Thursday half day, then Friday closed', TEHRAN, '2027-03-18T11:00:00+03:30', 3 * HOUR, '2027-03-20T10:00:00+03:30'],
    ['Saturday into Sunday without holidays', TEHRAN, '2027-03-20T15:00:00+03:30', 2 * HOUR, '2027-03-21T09:00:00+03:30'],
    ['Saturday over Nowruz (Sun 21 – Wed 24 March)', TEHRAN_NOWRUZ, '2027-03-20T15:00:00+03:30', 2 * HOUR, '2027-03-25T09:00:00+03:30'],
    ['from inside Nowruz', TEHRAN_NOWRUZ, '2027-03-22T10:00:00+03:30', 5 * HOUR, '2027-03-27T09:00:00+03:30'],
    ['a 2027 summer date is still +03:30 (no DST since 2022)', TEHRAN, '2027-06-15T00:00:00+03:30', 1 * HOUR, '2027-06-15T09:00:00+03:30'],

    // Holidays on Mon–Fri 09:00–17:00: Tuesday 2027-06-08 off.
    ['over a one-day holiday', BERLIN_9_TO_5_TUE_OFF, '2027-06-07T16:00:00+02:00', 2 * HOUR, '2027-06-09T10:00:00+02:00'],
    ['from a holiday', BERLIN_9_TO_5_TUE_OFF, '2027-06-08T10:00:00+02:00', 1 * HOUR, '2027-06-09T10:00:00+02:00'],
    // Overnight with Tuesday off: Mon 22–24 kept, Tue 00–06 and Tue 22–24 dropped, Wed 00–06 kept.
    ['overnight window before a holiday keeps its evening', BERLIN_NIGHTS_TUE_OFF, '2027-06-07T23:00:00+02:00', 2 * HOUR, '2027-06-09T01:00:00+02:00'],

    // seconds = 0: the next business instant at or after start.
    ['0 s inside a window', BERLIN_9_TO_5, '2027-06-07T10:00:00+02:00', 0, '2027-06-07T10:00:00+02:00'],
    ['0 s at opening', BERLIN_9_TO_5, '2027-06-07T09:00:00+02:00', 0, '2027-06-07T09:00:00+02:00'],
    ['0 s at closing (closed: the window is [09:00, 17:00))', BERLIN_9_TO_5, '2027-06-07T17:00:00+02:00', 0, '2027-06-08T09:00:00+02:00'],
    ['0 s on a Saturday', BERLIN_9_TO_5, '2027-06-12T12:00:00+02:00', 0, '2027-06-14T09:00:00+02:00'],
    ['0 s in the lunch gap', NEW_YORK_LUNCH, '2027-06-07T12:00:00-04:00', 0, '2027-06-07T13:00:00-04:00'],
    ['0 s on a Friday in Tehran', TEHRAN, '2027-03-19T10:00:00+03:30', 0, '2027-03-20T08:00:00+03:30'],

    // Calendar time.
    ['ALWAYS_OPEN counts calendar time', ALWAYS_OPEN, '2027-03-27T12:00:00Z', 36 * HOUR, '2027-03-29T00:00:00Z'],
    ['ALWAYS_OPEN for 30 days', ALWAYS_OPEN, '2027-01-31T10:00:00Z', 30 * 24 * HOUR, '2027-03-02T10:00:00Z'],
  ])('%s', (_label, cal, start, seconds, expected) => {
    expect(local(addBusinessSeconds(cal, at(start), seconds), cal)).toBe(expected);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p seconds', (seconds) => {
    expect(() => addBusinessSeconds(BERLIN_9_TO_5, at('2027-06-07T10:00:00+02:00'), seconds)).toThrow(RangeError);
  });
});

describe('businessSecondsBetween', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['within one window', BERLIN_9_TO_5, '2027-06-07T10:00:00+02:00', '2027-06-07T12:30:00+02:00', 2.5 * HOUR],
    ['a pause over a weekend', BERLIN_9_TO_5, '2027-06-11T15:00:00+02:00', '2027-06-14T11:00:00+02:00', 4 * HOUR],
    ['a pause wholly inside a weekend', BERLIN_9_TO_5, '2027-06-12T08:00:00+02:00', '2027-06-13T20:00:00+02:00', 0],
    ['a whole week', BERLIN_9_TO_5, '2027-06-07T00:00:00+02:00', '2027-06-14T00:00:00+02:00', 40 * HOUR],
    ['across the lunch gap', NEW_YORK_LUNCH, '2027-06-07T11:00:00-04:00', '2027-06-07T14:00:00-04:00', 2 * HOUR],
    ['overnight from 23:00 to 02:00', BERLIN_NIGHTS, '2027-06-07T23:00:00+02:00', '2027-06-08T02:00:00+02:00', 3 * HOUR],
    ['a whole week of nights (Mon night … Fri night)', BERLIN_NIGHTS, '2027-06-07T00:00:00+02:00', '2027-06-14T00:00:00+02:00', 40 * HOUR],
    ['Iranian pause from Wednesday to Saturday', TEHRAN, '2027-03-10T15:00:00+03:30', '2027-03-13T09:00:00+03:30', 6 * HOUR],
    // Wed 4 h + Thu 4 h + Sat 8 h + (Nowruz Sun–Wed) + Thu 4 h + Sat 4 h.
    ['over Nowruz', TEHRAN_NOWRUZ, '2027-03-17T12:00:00+03:30', '2027-03-27T12:00:00+03:30', 24 * HOUR],
    ['the same span without holidays', TEHRAN, '2027-03-17T12:00:00+03:30', '2027-03-27T12:00:00+03:30', 56 * HOUR],
    ['one-day holiday', BERLIN_9_TO_5_TUE_OFF, '2027-06-07T09:00:00+02:00', '2027-06-10T09:00:00+02:00', 16 * HOUR],
    // Tuesday off: Mon 22–24 (2 h) + Wed 00–06 (6 h); Tue 00–06 and Tue 22–24 are gone.
    ['overnight windows around a holiday', BERLIN_NIGHTS_TUE_OFF, '2027-06-07T12:00:00+02:00', '2027-06-09T12:00:00+02:00', 8 * HOUR],
    ['to before from', BERLIN_9_TO_5, '2027-06-07T12:00:00+02:00', '2027-06-07T10:00:00+02:00', 0],
    ['to equal to from', BERLIN_9_TO_5, '2027-06-07T12:00:00+02:00', '2027-06-07T12:00:00+02:00', 0],
    ['milliseconds count', ALWAYS_OPEN, '2027-06-07T12:00:00.000Z', '2027-06-07T12:00:01.500Z', 1.5],
  ])('%s', (_label, cal, from, to, expected) => {
    expect(businessSecondsBetween(cal, at(from), at(to))).toBe(expected);
  });
});

describe('daylight saving time', () => {
  const berlin24 = calendar('Europe/Berlin', every([['00:00', '24:00']]));
  const newYork24 = calendar('America/New_York', every([['00:00', '24:00']]));
  const berlinNight = calendar('Europe/Berlin', { sun: [['01:00', '04:00']] });
  const newYorkNight = calendar('America/New_York', { sun: [['01:00', '04:00']] });
  const tehran24 = calendar('Asia/Tehran', every([['00:00', '24:00']]));

  it.each<[string, BusinessCalendar, string, string, number]>([
    ['Berlin 24/7 on spring-forward day has 23 h', berlin24, '2027-03-28T00:00:00+01:00', '2027-03-29T00:00:00+02:00', 23 * HOUR],
    ['Berlin 24/7 on fall-back day has 25 h', berlin24, '2027-10-31T00:00:00+02:00', '2027-11-01T00:00:00+01:00', 25 * HOUR],
    ['Berlin 01:00–04:00 on spring-forward day is 2 h', berlinNight, '2027-03-27T00:00:00+01:00', '2027-03-29T00:00:00+02:00', 2 * HOUR],
    ['Berlin 01:00–04:00 on fall-back day is 4 h', berlinNight, '2027-10-30T00:00:00+02:00', '2027-11-01T00:00:00+01:00', 4 * HOUR],
    ['New York 24/7 on spring-forward day has 23 h', newYork24, '2027-03-14T00:00:00-05:00', '2027-03-15T00:00:00-04:00', 23 * HOUR],
    ['New York 24/7 on fall-back day has 25 h', newYork24, '2027-11-07T00:00:00-04:00', '2027-11-08T00:00:00-05:00', 25 * HOUR],
    ['New York 01:00–04:00 on spring-forward day is 2 h', newYorkNight, '2027-03-13T00:00:00-05:00', '2027-03-15T00:00:00-04:00', 2 * HOUR],
    ['New York 01:00–04:00 on fall-back day is 4 h', newYorkNight, '2027-11-06T00:00:00-04:00', '2027-11-08T00:00:00-05:00', 4 * HOUR],
    ['New York 01:00–04:00 on an ordinary Sunday is 3 h', newYorkNight, '2027-06-13T00:00:00-04:00', '2027-06-14T00:00:00-04:00', 3 * HOUR],
    ['inside the repeated hour: 01:30 EDT → 01:30 EST is 1 real hour', newYorkNight, '2027-11-07T01:30:00-04:00', '2027-11-07T01:30:00-05:00', 1 * HOUR],
    // A window opening inside the gap opens when the gap ends (03:00 EDT), not an hour later.
    ['New York 02:30–05:00 on spring-forward day is 03:00–05:00 EDT', calendar('America/New_York', { sun: [['02:30', '05:00']] }), '2027-03-14T00:00:00-05:00', '2027-03-15T00:00:00-04:00', 2 * HOUR],
    ['a window wholly inside the gap has no time that day', calendar('America/New_York', { sun: [['02:00', '02:30']] }), '2027-03-14T00:00:00-05:00', '2027-03-15T00:00:00-04:00', 0],
    // A window ending at a repeated wall time ends at its first occurrence.
    ['New York 00:00–01:30 on fall-back day ends at 01:30 EDT', calendar('America/New_York', { sun: [['00:00', '01:30']] }), '2027-11-07T00:00:00-04:00', '2027-11-08T00:00:00-05:00', 1.5 * HOUR],
    ['Tehran 24/7 around the old DST date still has 24 h days', tehran24, '2027-03-21T00:00:00+03:30', '2027-03-23T00:00:00+03:30', 48 * HOUR],
    ['Tehran 24/7 around the old DST end still has 24 h days', tehran24, '2027-09-21T00:00:00+03:30', '2027-09-23T00:00:00+03:30', 48 * HOUR],
  ])('%s', (_label, cal, from, to, expected) => {
    expect(businessSecondsBetween(cal, at(from), at(to))).toBe(expected);
  });

  it.each<[string, BusinessCalendar, string, number, string]>([
    ['24 real hours across Berlin spring-forward', berlin24, '2027-03-27T12:00:00+01:00', 24 * HOUR, '2027-03-28T13:00:00+02:00'],
    ['24 real hours across Berlin fall-back', berlin24, '2027-10-30T12:00:00+02:00', 24 * HOUR, '2027-10-31T11:00:00+01:00'],
    ['24 real hours across New York spring-forward', newYork24, '2027-03-13T12:00:00-05:00', 24 * HOUR, '2027-03-14T13:00:00-04:00'],
    ['24 real hours across New York fall-back', newYork24, '2027-11-06T12:00:00-04:00', 24 * HOUR, '2027-11-07T11:00:00-05:00'],
    ['New York fall-back window opens at 01:00 EDT; 3.5 h later is 03:30 EST', newYorkNight, '2027-11-07T00:00:00-04:00', 3.5 * HOUR, '2027-11-07T03:30:00-05:00'],
    ['New York spring-forward window: 1 h after 01:00 EST is 03:00 EDT', newYorkNight, '2027-03-14T00:00:00-05:00', 1 * HOUR, '2027-03-14T03:00:00-04:00'],
    ['Berlin fall-back window: 2 h after 01:00 CEST is 02:00 CET', berlinNight, '2027-10-31T00:00:00+02:00', 2 * HOUR, '2027-10-31T02:00:00+01:00'],
    ['Berlin spring-forward window, all of it and one hour more: next Sunday', berlinNight, '2027-03-28T00:00:00+01:00', 3 * HOUR, '2027-04-04T02:00:00+02:00'],
    ['a window wholly inside the gap is skipped to the next Sunday', calendar('America/New_York', { sun: [['02:00', '02:30']] }), '2027-03-14T00:00:00-05:00', 0, '2027-03-21T02:00:00-04:00'],
  ])('%s', (_label, cal, start, seconds, expected) => {
    expect(local(addBusinessSeconds(cal, at(start), seconds), cal)).toBe(expected);
  });

  it('Tehran is +03:30 on summer and winter dates of 2027', () => {
    expect(local(addBusinessSeconds(TEHRAN, at('2027-07-17T00:00:00Z'), 0), TEHRAN)).toBe('2027-07-17T08:00:00+03:30');
    expect(addBusinessSeconds(TEHRAN, at('2027-07-17T00:00:00Z'), 0).toISOString()).toBe('2027-07-17T04:30:00.000Z');
    expect(addBusinessSeconds(TEHRAN, at('2027-01-16T00:00:00Z'), 0).toISOString()).toBe('2027-01-16T04:30:00.000Z');
  });
});

describe('isBusinessTime', () => {
  it.each<[string, BusinessCalendar, string, boolean]>([
    ['at opening', BERLIN_9_TO_5, '2027-06-07T09:00:00+02:00', true],
    ['a second before closing', BERLIN_9_TO_5, '2027-06-07T16:59:59+02:00', true],
    ['at closing', BERLIN_9_TO_5, '2027-06-07T17:00:00+02:00', false],
    ['on Saturday', BERLIN_9_TO_5, '2027-06-12T10:00:00+02:00', false],
    ['at lunch', NEW_YORK_LUNCH, '2027-06-07T12:15:00-04:00', false],
    ['Monday 22:00, a night opens', BERLIN_NIGHTS, '2027-06-07T22:00:00+02:00', true],
    ['Tuesday 05:59, still Monday night', BERLIN_NIGHTS, '2027-06-08T05:59:00+02:00', true],
    ['Tuesday 06:00, night over', BERLIN_NIGHTS, '2027-06-08T06:00:00+02:00', false],
    ['Saturday 03:00, end of Friday night', BERLIN_NIGHTS, '2027-06-12T03:00:00+02:00', true],
    ['Sunday 03:00, no Saturday night', BERLIN_NIGHTS, '2027-06-13T03:00:00+02:00', false],
    ['Monday 03:00, no Sunday night', BERLIN_NIGHTS, '2027-06-07T03:00:00+02:00', false],
    ['Tehran Friday', TEHRAN, '2027-03-19T10:00:00+03:30', false],
    ['Tehran Thursday afternoon', TEHRAN, '2027-03-18T12:30:00+03:30', false],
    ['Tehran Saturday morning', TEHRAN, '2027-03-20T08:00:00+03:30', true],
    ['Tehran Nowruz', TEHRAN_NOWRUZ, '2027-03-22T10:00:00+03:30', false],
    ['Tehran after Nowruz', TEHRAN_NOWRUZ, '2027-03-25T10:00:00+03:30', true],
    ['inside a window that opened in the gap', calendar('America/New_York', { sun: [['02:30', '05:00']] }), '2027-03-14T03:10:00-04:00', true],
    ['second pass of the repeated hour', calendar('America/New_York', { sun: [['01:00', '04:00']] }), '2027-11-07T01:10:00-05:00', true],
  ])('%s', (_label, cal, instant, expected) => {
    expect(isBusinessTime(cal, at(instant))).toBe(expected);
  });
});

describe('businessIntervals', () => {
  function take(cal: BusinessCalendar, from: string, count: number): string[] {
    const result: string[] = [];
    for (const [start, end] of businessIntervals(cal, at(from))) {
      result.push(`${local(start, cal)} → ${local(end, cal)}`);
      if (result.length === count) break;
    }
    return result;
  }

  it('merges an overnight window across midnight and starts with the interval containing `from`', () => {
    expect(take(BERLIN_NIGHTS, '2027-06-08T02:00:00+02:00', 2)).toEqual([
      '2027-06-07T22:00:00+02:00 → 2027-06-08T06:00:00+02:00',
      '2027-06-08T22:00:00+02:00 → 2027-06-09T06:00:00+02:00',
    ]);
  });

  it('splits around a lunch gap and skips the weekend', () => {
    expect(take(NEW_YORK_LUNCH, '2027-06-11T12:00:00-04:00', 3)).toEqual([
      '2027-06-11T13:00:00-04:00 → 2027-06-11T17:00:00-04:00',
      '2027-06-14T09:00:00-04:00 → 2027-06-14T12:00:00-04:00',
      '2027-06-14T13:00:00-04:00 → 2027-06-14T17:00:00-04:00',
    ]);
  });

  it('merges pieces that meet across the spring-forward gap', () => {
    const cal = calendar('America/New_York', { sun: [['01:00', '02:00'], ['03:00', '04:00']] });
    expect(take(cal, '2027-03-14T00:00:00-05:00', 1)).toEqual(['2027-03-14T01:00:00-05:00 → 2027-03-14T04:00:00-04:00']);
  });

  it('hands a 24/7 calendar out in pieces of at most a week, without gaps', () => {
    // The walk starts a day before `from`, so the first run began at the previous midnight.
    expect(take(ALWAYS_OPEN, '2027-01-01T10:00:00Z', 3)).toEqual([
      '2026-12-31T00:00:00Z → 2027-01-07T00:00:00Z',
      '2027-01-07T00:00:00Z → 2027-01-14T00:00:00Z',
      '2027-01-14T00:00:00Z → 2027-01-21T00:00:00Z',
    ]);
  });
});

describe('addBusinessSeconds and businessSecondsBetween agree', () => {
  // A small deterministic generator, so a failure can be reproduced from the printed case.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }
  const next = random(20270321);
  const calendars: Array<[string, BusinessCalendar]> = [
    ['Berlin 9–5', BERLIN_9_TO_5],
    ['New York lunch', NEW_YORK_LUNCH],
    ['Berlin nights with a holiday', calendar('Europe/Berlin', weekdays([['22:00', '06:00']]), ['2027-10-27'])],
    ['Tehran with Nowruz', TEHRAN_NOWRUZ],
    ['New York 01:00–04:00 Sundays', calendar('America/New_York', { sun: [['01:00', '04:00']], wed: [['09:00', '17:00']] })],
  ];
  // Starts spread over 2027, so some land on DST changes, holidays and weekends.
  const cases = calendars.flatMap(([name, cal]) =>
    Array.from({ length: 8 }, () => {
      const start = new Date(Date.UTC(2027, 0, 1) + Math.floor(next() * 365 * 24 * 3600 * 1000));
      const seconds = Math.floor(next() * 120 * HOUR);
      return [name, cal, start.toISOString(), seconds] as const;
    }),
  );

  it.each(cases)('%s from %s plus %i s', (_name, cal, start, seconds) => {
    const due = addBusinessSeconds(cal, at(start), seconds);
    expect(businessSecondsBetween(cal, at(start), due)).toBe(seconds);
    // The due instant is the earliest one with that much business time behind it.
    expect(businessSecondsBetween(cal, at(start), new Date(due.getTime() - 1000))).toBe(Math.max(0, seconds - 1));
  });

  it.each(cases)('%s from %s: business time to a business instant %i s of calendar time later', (_name, cal, start, seconds) => {
    const to = addBusinessSeconds(cal, new Date(at(start).getTime() + seconds * 1000), 0);
    const elapsed = businessSecondsBetween(cal, at(start), to);
    const back = addBusinessSeconds(cal, at(start), elapsed);
    // `back` is where the business clock reaches `elapsed`; `to` is a business instant with the same clock.
    expect(businessSecondsBetween(cal, back, to)).toBe(0);
    expect(back.getTime()).toBeLessThanOrEqual(to.getTime());
  });
});

describe('a calendar with no business hours', () => {
  const empty: BusinessCalendar = {
    timezone: 'UTC',
    weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    holidays: [],
  };

  it.each<[string, () => unknown]>([
    ['addBusinessSeconds', () => addBusinessSeconds(empty, at('2027-06-07T10:00:00Z'), 60)],
    ['businessSecondsBetween', () => businessSecondsBetween(empty, at('2027-06-07T10:00:00Z'), at('2027-06-08T10:00:00Z'))],
    ['businessSecondsBetween with to <= from', () => businessSecondsBetween(empty, at('2027-06-07T10:00:00Z'), at('2027-06-07T10:00:00Z'))],
    ['isBusinessTime', () => isBusinessTime(empty, at('2027-06-07T10:00:00Z'))],
    ['businessIntervals', () => businessIntervals(empty, at('2027-06-07T10:00:00Z'))],
  ])('%s throws CalendarError instead of looping', (_label, call) => {
    expect(call).toThrow(new CalendarError('the calendar has no business hours'));
  });

  it('a hand-built calendar with a bad time zone is rejected', () => {
    expect(() => isBusinessTime({ ...ALWAYS_OPEN, timezone: 'Nowhere/Town' }, at('2027-06-07T10:00:00Z'))).toThrow(CalendarError);
  });
});

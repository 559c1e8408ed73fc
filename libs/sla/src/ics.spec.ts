import { CalendarError, parseCalendar } from './calendar';
import { holidaysFromIcs } from './ics';

/** An iCalendar file with CRLF line ends, as RFC 5545 requires. */
function ics(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Pasokh//Test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

function event(...lines: string[]): string[] {
  return ['BEGIN:VEVENT', 'UID:1@test', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
}

describe('holidaysFromIcs', () => {
  it.each<[string, string, string[]]>([
    ['an all-day event', ics(...event('DTSTART;VALUE=DATE:20270401', 'SUMMARY:Sizdah Bedar')), ['2027-04-01']],
    [
      'a multi-day event with an exclusive DTEND (Nowruz, 4 days)',
      ics(...event('DTSTART;VALUE=DATE:20270321', 'DTEND;VALUE=DATE:20270325', 'SUMMARY:Nowruz')),
      ['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24'],
    ],
    ['an all-day event whose DTEND is the next day', ics(...event('DTSTART;VALUE=DATE:20271225', 'DTEND;VALUE=DATE:20271226')), ['2027-12-25']],
    [
      'a multi-day event across a month end',
      ics(...event('DTSTART;VALUE=DATE:20270228', 'DTEND;VALUE=DATE:20270302')),
      ['2027-02-28', '2027-03-01'],
    ],
    ['a DURATION instead of DTEND', ics(...event('DTSTART;VALUE=DATE:20270321', 'DURATION:P2D')), ['2027-03-21', '2027-03-22']],
    ['a DTSTART in UTC, taken as its date', ics(...event('DTSTART:20270321T000000Z', 'DTEND:20270322T000000Z')), ['2027-03-21']],
    [
      'a DTSTART with a TZID, taken as its date',
      ics(...event('DTSTART;TZID=Asia/Tehran:20270321T000000', 'DTEND;TZID=Asia/Tehran:20270325T000000')),
      ['2027-03-21'],
    ],
    ['a quoted TZID containing a colon', ics(...event('DTSTART;TZID="Custom: Tehran":20270402T090000')), ['2027-04-02']],
    ['a DTSTART without VALUE=DATE but with a date value', ics(...event('DTSTART:20270402')), ['2027-04-02']],
    [
      'several events, out of order and overlapping, sorted and unique',
      ics(
        ...event('DTSTART;VALUE=DATE:20270322', 'DTEND;VALUE=DATE:20270324'),
        ...event('DTSTART;VALUE=DATE:20270101'),
        ...event('DTSTART;VALUE=DATE:20270321', 'DTEND;VALUE=DATE:20270323'),
      ),
      ['2027-01-01', '2027-03-21', '2027-03-22', '2027-03-23'],
    ],
    [
      'folded lines (CRLF + space / tab), including a fold inside DTSTART',
      ics(
        'BEGIN:VEVENT',
        'SUMMARY:A very long holiday name that an exporter folded over sev',
        ' eral lines of the file',
        'DTSTART;VALUE=DA',
        ' TE:2027032',
        '\t1',
        'DTEND;VALUE=DATE:20270323',
        'END:VEVENT',
      ),
      ['2027-03-21', '2027-03-22'],
    ],
    [
      'other components and nested ones ignored (VTIMEZONE, VTODO, VALARM)',
      ics(
        'BEGIN:VTIMEZONE',
        'TZID:Europe/Berlin',
        'BEGIN:STANDARD',
        'DTSTART:19701025T030000',
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'END:STANDARD',
        'END:VTIMEZONE',
        'BEGIN:VTODO',
        'DTSTART;VALUE=DATE:20270505',
        'END:VTODO',
        'BEGIN:VEVENT',
        'DTSTART;VALUE=DATE:20271003',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'DTSTART:20270101T000000Z',
        'END:VALARM',
        'END:VEVENT',
      ),
      ['2027-10-03'],
    ],
    ['a cancelled event', ics(...event('DTSTART;VALUE=DATE:20270321', 'STATUS:CANCELLED'), ...event('DTSTART;VALUE=DATE:20270322')), ['2027-03-22']],
    ['lower-case names', ics('begin:vevent', 'dtstart;value=date:20270321', 'end:vevent'), ['2027-03-21']],
    ['an empty calendar', ics(), []],
  ])('reads %s', (_label, text, expected) => {
    expect(holidaysFromIcs(text)).toEqual(expected);
  });

  it('reads a file with bare LF line ends', () => {
    const text = ics(...event('DTSTART;VALUE=DATE:20270321', 'DTEND;VALUE=DATE:20270323')).replace(/\r\n/g, '\n');
    expect(holidaysFromIcs(text)).toEqual(['2027-03-21', '2027-03-22']);
  });

  it('gives holidays that parseCalendar accepts', () => {
    const holidays = holidaysFromIcs(ics(...event('DTSTART;VALUE=DATE:20270321', 'DTEND;VALUE=DATE:20270325')));
    const calendar = parseCalendar({ timezone: 'Asia/Tehran', weekly: { sat: [['08:00', '16:00']] }, holidays });
    expect(calendar.holidays).toEqual(['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24']);
  });

  it.each<[string, string, string]>([
    ['no VCALENDAR', 'BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270321\r\nEND:VEVENT\r\n', 'the file is not an iCalendar file: it has no BEGIN:VCALENDAR'],
    ['an empty file', '', 'the file is not an iCalendar file: it has no BEGIN:VCALENDAR'],
    ['an impossible date', ics(...event('DTSTART;VALUE=DATE:20270230')), 'DTSTART "20270230" of the VEVENT at line 4 is not an iCalendar date or date-time'],
    ['a dashed date', ics(...event('DTSTART;VALUE=DATE:2027-03-21')), 'DTSTART "2027-03-21" of the VEVENT at line 4 is not an iCalendar date or date-time'],
    ['VALUE=DATE with a time', ics(...event('DTSTART;VALUE=DATE:20270321T000000')), 'DTSTART "20270321T000000" of the VEVENT at line 4 is not an iCalendar date or date-time'],
    ['a recurring event', ics(...event('DTSTART;VALUE=DATE:20270321', 'RRULE:FREQ=YEARLY')), 'the VEVENT at line 4 repeats (RRULE); list each holiday as its own event'],
    [
      'a bad date after folded lines, naming the file line',
      ics('BEGIN:VEVENT', 'DESCRIPTION:folded', ' once', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20271340', 'END:VEVENT'),
      'DTSTART "20271340" of the VEVENT at line 8 is not an iCalendar date or date-time',
    ],
    ['an event of years', ics(...event('DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20290101')), 'the VEVENT at line 4 lasts 731 days; a holiday may last at most 366'],
  ])('rejects %s', (_label, text, message) => {
    expect(() => holidaysFromIcs(text)).toThrow(new CalendarError(message));
  });
});

import { ALWAYS_OPEN, CalendarError, parseCalendar } from './calendar';

const NINE_TO_FIVE = [['09:00', '17:00']];

describe('parseCalendar', () => {
  it('normalises a valid calendar: every weekday present, windows sorted, holidays sorted and unique', () => {
    const calendar = parseCalendar({
      timezone: 'Asia/Tehran',
      weekly: {
        sat: [['13:00', '16:00'], ['08:00', '12:00']],
        thu: [['08:00', '12:00']],
        wed: [['22:00', '06:00']],
      },
      holidays: ['2027-03-24', '2027-03-21', '2027-03-24', '2027-03-22'],
    });
    expect(calendar).toEqual({
      timezone: 'Asia/Tehran',
      weekly: {
        mon: [],
        tue: [],
        wed: [['22:00', '06:00']],
        thu: [['08:00', '12:00']],
        fri: [],
        sat: [['08:00', '12:00'], ['13:00', '16:00']],
        sun: [],
      },
      holidays: ['2027-03-21', '2027-03-22', '2027-03-24'],
    });
  });

  it.each([
    ['a whole day', { mon: [['00:00', '24:00']] }],
    ['adjacent windows', { mon: [['09:00', '12:00'], ['12:00', '17:00']] }],
    ['an overnight window ending where the next day starts', { sun: [['22:00', '06:00']], mon: [['06:00', '10:00']] }],
    ['an overnight window of 23 hours', { mon: [['22:00', '21:00']] }],
    ['ten windows', { mon: Array.from({ length: 10 }, (_, i) => [`${String(i).padStart(2, '0')}:00`, `${String(i).padStart(2, '0')}:30`]) }],
  ])('accepts %s', (_label, weekly) => {
    expect(parseCalendar({ timezone: 'Europe/Berlin', weekly }).timezone).toBe('Europe/Berlin');
  });

  it('defaults holidays to none', () => {
    expect(parseCalendar({ timezone: 'UTC', weekly: { mon: NINE_TO_FIVE } }).holidays).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['not an object', null, 'calendar must be an object { timezone, weekly, holidays }'],
    ['an array', [], 'calendar must be an object { timezone, weekly, holidays }'],
    ['an unknown field', { timezone: 'UTC', weekly: { mon: NINE_TO_FIVE }, holiday: [] }, 'holiday is not a calendar field (expected timezone, weekly, holidays)'],
    ['no timezone', { weekly: { mon: NINE_TO_FIVE } }, 'timezone must be an IANA time zone such as Asia/Tehran'],
    ['an unknown timezone', { timezone: 'Mars/Olympus', weekly: { mon: NINE_TO_FIVE } }, 'timezone must be an IANA time zone such as Asia/Tehran'],
    ['a numeric timezone', { timezone: 3.5, weekly: { mon: NINE_TO_FIVE } }, 'timezone must be an IANA time zone such as Asia/Tehran'],
    ['no weekly', { timezone: 'UTC' }, 'weekly must be an object with days mon, tue, wed, thu, fri, sat, sun'],
    ['an unknown weekday', { timezone: 'UTC', weekly: { monday: NINE_TO_FIVE } }, 'weekly.monday is not a weekday (use mon, tue, wed, thu, fri, sat, sun)'],
    ['a day that is not an array', { timezone: 'UTC', weekly: { mon: '09:00-17:00' } }, 'weekly.mon must be an array of ["HH:mm","HH:mm"] windows'],
    ['a window with one time', { timezone: 'UTC', weekly: { fri: [['09:00', '12:00'], ['13:00']] } }, 'weekly.fri[1] must be ["HH:mm","HH:mm"]'],
    ['a time without a leading zero', { timezone: 'UTC', weekly: { mon: [['9:00', '17:00']] } }, 'weekly.mon[0] must be ["HH:mm","HH:mm"]'],
    ['an hour past 24', { timezone: 'UTC', weekly: { mon: [['09:00', '25:00']] } }, 'weekly.mon[0] must be ["HH:mm","HH:mm"]'],
    ['24:30', { timezone: 'UTC', weekly: { mon: [['09:00', '24:30']] } }, 'weekly.mon[0] must be ["HH:mm","HH:mm"]'],
    ['a window as an object', { timezone: 'UTC', weekly: { tue: [{ from: '09:00', to: '17:00' }] } }, 'weekly.tue[0] must be ["HH:mm","HH:mm"]'],
    ['a start at 24:00', { timezone: 'UTC', weekly: { mon: [['24:00', '06:00']] } }, 'weekly.mon[0] cannot start at 24:00 (use 00:00 of the next day)'],
    ['a zero-length window', { timezone: 'UTC', weekly: { wed: [['09:00', '09:00']] } }, 'weekly.wed[0] is empty: it starts and ends at 09:00 (use ["00:00","24:00"] for a whole day)'],
    ['overlapping windows', { timezone: 'UTC', weekly: { mon: [['11:00', '13:00'], ['09:00', '12:00']] } }, 'weekly.mon[0] overlaps weekly.mon[1]'],
    ['a window inside an overnight one', { timezone: 'UTC', weekly: { mon: [['22:00', '06:00'], ['23:00', '23:30']] } }, 'weekly.mon[1] overlaps weekly.mon[0]'],
    ['an overnight window overlapping the next day', { timezone: 'UTC', weekly: { sun: [['22:00', '06:00']], mon: [['05:00', '09:00']] } }, 'weekly.mon[0] overlaps weekly.sun[0], which runs past midnight'],
    ['eleven windows', { timezone: 'UTC', weekly: { mon: Array.from({ length: 11 }, (_, i) => [`${String(i).padStart(2, '0')}:00`, `${String(i).padStart(2, '0')}:30`]) } }, 'weekly.mon has 11 windows; at most 10 are allowed'],
    ['no windows at all', { timezone: 'UTC', weekly: { mon: [], tue: [] } }, 'weekly must have at least one window'],
    ['holidays that are not an array', { timezone: 'UTC', weekly: { mon: NINE_TO_FIVE }, holidays: '2027-03-21' }, 'holidays must be an array of dates YYYY-MM-DD'],
    ['a holiday in another format', { timezone: 'UTC', weekly: { mon: NINE_TO_FIVE }, holidays: ['2027-03-21', '2027-3-22'] }, 'holidays[1] must be a date YYYY-MM-DD'],
    ['a holiday that does not exist', { timezone: 'UTC', weekly: { mon: NINE_TO_FIVE }, holidays: ['2027-03-21', '2027-03-22', '2027-02-30'] }, 'holidays[2] must be a date YYYY-MM-DD'],
  ])('rejects %s', (_label, input, message) => {
    expect(() => parseCalendar(input)).toThrow(new CalendarError(message));
    expect(() => parseCalendar(input)).toThrow(CalendarError);
  });
});

describe('ALWAYS_OPEN', () => {
  it('is a valid calendar, open all day every day in UTC', () => {
    expect(parseCalendar({ timezone: ALWAYS_OPEN.timezone, weekly: ALWAYS_OPEN.weekly })).toEqual(ALWAYS_OPEN);
    expect(Object.values(ALWAYS_OPEN.weekly)).toEqual(Array(7).fill([['00:00', '24:00']]));
    expect(ALWAYS_OPEN.timezone).toBe('UTC');
  });
});

/// <reference types="jest" />
import { fromLocalInput, snoozeTime, toLocalInput } from './snooze';

// In whatever zone the tests run: dates are built and read in local time, as the browser does.
describe('snooze times', () => {
  const local = (d: Date) => toLocalInput(d) + ` ${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]}`;

  it('snoozes for an hour from now, to the millisecond', () => {
    const now = new Date('2027-03-24T10:15:30.123Z');
    expect(snoozeTime('hour', now).toISOString()).toBe('2027-03-24T11:15:30.123Z');
  });

  it('wakes tomorrow at 09:00 local time (the night of 27–28 March 2027 changes the clocks in Europe)', () => {
    expect(local(snoozeTime('tomorrow', new Date(2027, 2, 24, 23, 50)))).toBe('2027-03-25T09:00 Thu');
    expect(local(snoozeTime('tomorrow', new Date(2027, 2, 27, 8, 0)))).toBe('2027-03-28T09:00 Sun');
  });

  it('takes "next week" as the coming Saturday 09:00: a Friday weekend, a week that starts on Saturday', () => {
    expect(local(snoozeTime('nextWeek', new Date(2027, 2, 24, 12, 0)))).toBe('2027-03-27T09:00 Sat'); // from a Wednesday
    expect(local(snoozeTime('nextWeek', new Date(2027, 2, 26, 20, 0)))).toBe('2027-03-27T09:00 Sat'); // from a Friday
    expect(local(snoozeTime('nextWeek', new Date(2027, 2, 27, 7, 0)))).toBe('2027-04-03T09:00 Sat'); // a Saturday: the next one
    expect(local(snoozeTime('nextWeek', new Date(2027, 2, 28, 7, 0)))).toBe('2027-04-03T09:00 Sat'); // a Sunday
  });

  it('reads and writes datetime-local values in local time', () => {
    expect(fromLocalInput('2027-03-28T09:30')?.getTime()).toBe(new Date(2027, 2, 28, 9, 30).getTime());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2027-13-45T99:99')).toBeNull();
    expect(toLocalInput(new Date(2027, 0, 5, 7, 3, 59))).toBe('2027-01-05T07:03');
  });
});

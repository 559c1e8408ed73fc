import { ALWAYS_OPEN, BusinessCalendar } from './calendar';
import { nextCheckAt, pauseClock, resumeClock, slaState, startClock, stopClock } from './sla-clock';

const targets = { firstResponseSec: 3600, nextResponseSec: 1800, resolutionSec: 8 * 3600, warnPercent: 75, warnBeforeSec: null };
const nineToFive: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
  holidays: [],
};
const at = (iso: string) => new Date(iso);

describe('SLA clocks', () => {
  it('starts with a due instant and a warning at the policy threshold', () => {
    const clock = startClock(ALWAYS_OPEN, targets, 'first_response', at('2027-06-14T10:00:00Z'))!;
    expect(clock.dueAt).toBe('2027-06-14T11:00:00.000Z');
    expect(clock.warnAt).toBe('2027-06-14T10:45:00.000Z'); // 75 % of an hour
    expect(startClock(ALWAYS_OPEN, { ...targets, nextResponseSec: null }, 'next_response', at('2027-06-14T10:00:00Z'))).toBeUndefined();
  });

  it('counts business time: a Friday 16:30 ticket with a 1 h target is due Monday 09:30 Berlin', () => {
    const clock = startClock(nineToFive, targets, 'first_response', at('2027-06-18T14:30:00Z'))!; // Fri 16:30 CEST
    expect(clock.dueAt).toBe('2027-06-21T07:30:00.000Z'); // Mon 09:30 CEST
  });

  it('pauses and resumes with the business time that was left, over a weekend', () => {
    const started = startClock(nineToFive, targets, 'resolution', at('2027-06-18T07:00:00Z'))!; // Fri 09:00, due Fri 17:00
    const paused = pauseClock(nineToFive, started, at('2027-06-18T13:00:00Z')); // Fri 15:00: 2 h left
    expect(paused.remainingSec).toBe(7200);
    expect(slaState({ resolution: paused }, at('2027-06-19T12:00:00Z'))).toBe('paused');
    const resumed = resumeClock(nineToFive, targets, 'resolution', paused, at('2027-06-21T08:00:00Z')); // Mon 10:00
    expect(resumed.dueAt).toBe('2027-06-21T10:00:00.000Z'); // Mon 12:00
  });

  it('is met when stopped in time, breached when late, and knows its next check', () => {
    const clock = startClock(ALWAYS_OPEN, targets, 'first_response', at('2027-06-14T10:00:00Z'))!;
    expect(nextCheckAt({ first_response: clock })).toEqual(at('2027-06-14T10:45:00Z'));
    expect(nextCheckAt({ first_response: { ...clock, warned: true } })).toEqual(at('2027-06-14T11:00:00Z'));
    expect(slaState({ first_response: clock }, at('2027-06-14T10:50:00Z'))).toBe('at_risk');
    expect(slaState({ first_response: clock }, at('2027-06-14T11:00:01Z'))).toBe('breached');
    expect(slaState({ first_response: stopClock(clock, at('2027-06-14T10:30:00Z')) }, at('2027-06-14T12:00:00Z'))).toBe('met');
    expect(stopClock(clock, at('2027-06-14T11:30:00Z')).breached).toBe(true);
    expect(nextCheckAt({ first_response: stopClock(clock, at('2027-06-14T10:30:00Z')) })).toBeNull();
  });
});

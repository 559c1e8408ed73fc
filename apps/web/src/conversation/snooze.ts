/**
 * Snooze times, in the agent's local time (the browser's). "Next week" is the coming Saturday: many
 * agents have a Friday weekend and a week that starts on Saturday.
 */

export type SnoozePreset = 'hour' | 'tomorrow' | 'nextWeek';
export const SNOOZE_PRESETS: SnoozePreset[] = ['hour', 'tomorrow', 'nextWeek'];

const HOUR_MS = 3_600_000;
const SATURDAY = 6;
const MORNING_HOUR = 9;

export function snoozeTime(preset: SnoozePreset, now: Date): Date {
  if (preset === 'hour') return new Date(now.getTime() + HOUR_MS);
  // On a Saturday the coming Saturday is a week away, not this morning.
  const days = preset === 'tomorrow' ? 1 : (SATURDAY - now.getDay() + 7) % 7 || 7;
  // Calendar arithmetic on the local date, so a daylight-saving change in between keeps 09:00.
  const at = new Date(now);
  at.setDate(at.getDate() + days);
  at.setHours(MORNING_HOUR, 0, 0, 0);
  return at;
}

/** A `datetime-local` value (local time, "2027-03-21T09:30") as an instant; null when empty or malformed. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const at = new Date(value); // no offset: ECMAScript reads it as local time
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The `datetime-local` value of an instant, to the minute, in local time. */
export function toLocalInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

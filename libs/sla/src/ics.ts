import { DateTime } from 'luxon';
import { CalendarError } from './calendar';

/** A holiday import longer than this is a broken file (or a wrong DTEND), not a holiday. */
const MAX_EVENT_DAYS = 366;

/**
 * Holiday dates from an iCalendar file (RFC 5545), sorted and unique, as 'YYYY-MM-DD'.
 *
 * Each VEVENT contributes the dates it covers: `DTSTART;VALUE=DATE:20270321` alone is one date; with
 * `DTEND;VALUE=DATE:20270325` (exclusive) or `DURATION:P4D` it is 21–24 March. A DTSTART with a time
 * (`20270321T000000Z`, `TZID=Asia/Tehran:20270321T000000`) counts as the date written in it, without
 * converting zones: holiday feeds put an all-day holiday at local midnight, and converting
 * 20270321T000000Z to Tehran would still be the 21st while converting it to New York would wrongly be
 * the 20th. Other components (VTIMEZONE, VTODO, VALARM…) are ignored, as are cancelled events.
 * Recurring events (RRULE/RDATE) are rejected rather than silently read as one date.
 */
export function holidaysFromIcs(text: string): string[] {
  const lines = unfold(text);
  if (!lines.some(({ text: line }) => line.trim().toUpperCase() === 'BEGIN:VCALENDAR')) {
    throw new CalendarError('the file is not an iCalendar file: it has no BEGIN:VCALENDAR');
  }

  const dates = new Set<string>();
  const stack: string[] = [];
  let event: EventFields | null = null;
  for (const { text: raw, line } of lines) {
    if (raw.trim() === '') continue;
    const property = parseLine(raw);
    // Exporters do emit the odd badly folded DESCRIPTION line; it carries nothing we read.
    if (!property) continue;
    const { name, params, value } = property;

    if (name === 'BEGIN') {
      const component = value.trim().toUpperCase();
      stack.push(component);
      if (component === 'VEVENT' && stack.length >= 2) event = { line };
      continue;
    }
    if (name === 'END') {
      const component = stack.pop();
      if (component === 'VEVENT' && event) {
        for (const date of eventDates(event)) dates.add(date);
        event = null;
      }
      continue;
    }
    // Properties of nested components (an alarm inside the event, a time zone's STANDARD part) are not the event's.
    if (!event || stack[stack.length - 1] !== 'VEVENT') continue;

    if (name === 'DTSTART') event.start = parseDateValue(value, params, event.line, 'DTSTART');
    else if (name === 'DTEND') event.end = parseDateValue(value, params, event.line, 'DTEND');
    else if (name === 'DURATION') event.durationDays = parseDurationDays(value, event.line);
    else if (name === 'STATUS') event.cancelled = value.trim().toUpperCase() === 'CANCELLED';
    else if (name === 'RRULE' || name === 'RDATE') {
      throw new CalendarError(`the VEVENT at line ${event.line} repeats (${name}); list each holiday as its own event`);
    }
  }
  return [...dates].sort();
}

/**
 * Logical lines with the file line each starts on (for error messages): a line that starts with a space
 * or a tab continues the previous one, without that first character (RFC 5545 §3.1).
 */
function unfold(text: string): Array<{ text: string; line: number }> {
  const result: Array<{ text: string; line: number }> = [];
  text.split(/\r\n|\n|\r/).forEach((physical, index) => {
    const last = result[result.length - 1];
    if (last && (physical.startsWith(' ') || physical.startsWith('\t'))) last.text += physical.slice(1);
    else result.push({ text: physical, line: index + 1 });
  });
  return result;
}

interface EventFields {
  line: number;
  start?: ParsedDate;
  end?: ParsedDate;
  durationDays?: number;
  cancelled?: boolean;
}

interface ParsedDate {
  date: DateTime;
  /** VALUE=DATE (all-day) rather than a date with a time. */
  allDay: boolean;
}

function eventDates(event: EventFields): string[] {
  // An event without DTSTART or a cancelled one is not a day off.
  if (!event.start || event.cancelled) return [];
  const first = event.start.date;
  let days = 1;
  // Only an all-day event spans whole dates; a timed event is its start date, as documented above.
  if (event.start.allDay && event.end) days = Math.max(1, Math.round(event.end.date.diff(first, 'days').days));
  else if (event.start.allDay && event.durationDays !== undefined) days = Math.max(1, event.durationDays);
  if (days > MAX_EVENT_DAYS) {
    throw new CalendarError(`the VEVENT at line ${event.line} lasts ${days} days; a holiday may last at most ${MAX_EVENT_DAYS}`);
  }
  const result: string[] = [];
  for (let i = 0; i < days; i++) result.push(first.plus({ days: i }).toISODate() as string);
  return result;
}

/** `NAME;PARAM=a;PARAM="b:c":value` → parts; a colon inside a quoted parameter value is not the separator. */
function parseLine(line: string): { name: string; params: Record<string, string>; value: string } | null {
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return null;
  const [name, ...paramParts] = line.slice(0, colon).split(';');
  if (!/^[A-Za-z0-9-]+$/.test(name)) return null;
  const params: Record<string, string> = {};
  for (const part of paramParts) {
    const eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq).toUpperCase()] = part.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
}

function parseDateValue(value: string, params: Record<string, string>, line: number, field: string): ParsedDate {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(value.trim());
  const date = match ? DateTime.utc(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!match || !date?.isValid || (params.VALUE?.toUpperCase() === 'DATE' && match[4] !== undefined)) {
    throw new CalendarError(`${field} "${value}" of the VEVENT at line ${line} is not an iCalendar date or date-time`);
  }
  return { date, allDay: match[4] === undefined };
}

/** Whole days of a `P…D` / `P…W` duration; a duration with hours is not a whole day and counts as one date. */
function parseDurationDays(value: string, line: number): number {
  const match = /^\+?P(?:(\d+)W|(\d+)D(?:T.*)?|T.*)$/.exec(value.trim());
  if (!match) throw new CalendarError(`DURATION "${value}" of the VEVENT at line ${line} is not an iCalendar duration`);
  if (match[1]) return Number(match[1]) * 7;
  if (match[2]) return Number(match[2]);
  return 1;
}

import type { Format } from '../format';
import { clockParts } from './sla';

/** Where a ticket opens: the inbox's conversation route, in the "all" view (whoever it is assigned to). */
export function ticketPath(ticketId: string): string {
  return `/inbox/all/${encodeURIComponent(ticketId)}`;
}

/** A ticket number as the inbox shows it: the agent's digits, no grouping ("1042", not "1,042"). */
export function ticketNumber(n: number, format: Format): string {
  return format.number(n).replace(/[٬,\u066c\u00a0\u202f.]/g, '');
}

/** "01:02:03", or "2d 01:02:03" via `days`, in the agent's digits; the sign is left to the caller. */
export function clockText(ms: number, format: Format, days: (d: string, time: string) => string): string {
  const [d, h, m, s] = clockParts(ms);
  const two = (n: number) => (n < 10 ? format.number(0) : '') + format.number(n);
  const time = `${two(h)}:${two(m)}:${two(s)}`;
  return d > 0 ? days(format.number(d), time) : time;
}

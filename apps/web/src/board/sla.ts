/**
 * The board's pure logic, no React: which clock of a ticket is next, the board's order, how a pushed
 * ticket changes the list, and the breach feed. Kept apart so it can be reasoned about (and tested)
 * without a browser.
 */
import type { Priority, SlaState, Ticket } from '../api/types';

export type SlaMetric = 'first_response' | 'next_response' | 'resolution';

export interface BoardSummary {
  breached: number;
  atRisk: number;
  onTrack: number;
  paused: number;
}

export interface BoardResponse {
  summary: BoardSummary;
  tickets: Ticket[];
}

export interface BoardFilter {
  teamId: string;
  priority: '' | Priority;
}

/** `sla.warning` / `sla.breached` payload (docs/API.md, Real time). */
export interface SlaEvent {
  metric: SlaMetric;
  dueAt: string;
  ticket: Ticket;
}

export interface BreachEntry {
  /** ticket id + metric + due instant: one clock instant is announced once. */
  key: string;
  metric: SlaMetric;
  dueAt: string;
  /** When we learnt of it: the push's arrival, or the due instant for breaches already on the board. */
  at: number;
  ticket: Ticket;
  /** Seen live on this page (the others were already breached when it loaded). */
  live: boolean;
}

export const FEED_LIMIT = 50;

const DUE_FIELDS: Array<[SlaMetric, keyof Ticket['sla']]> = [
  ['first_response', 'firstResponseDueAt'],
  ['next_response', 'nextResponseDueAt'],
  ['resolution', 'resolutionDueAt'],
];

/** The running clock that falls due first (null: none running, e.g. paused). */
export function nextClock(ticket: Ticket): { metric: SlaMetric; dueAt: number } | null {
  let best: { metric: SlaMetric; dueAt: number } | null = null;
  for (const [metric, field] of DUE_FIELDS) {
    const value = ticket.sla[field] as string | null;
    if (!value) continue;
    const dueAt = Date.parse(value);
    if (Number.isNaN(dueAt)) continue;
    if (!best || dueAt < best.dueAt) best = { metric, dueAt };
  }
  return best;
}

/** What the row shows: the ticket's state, or `breached` once its next clock has passed on this screen. */
export function displayState(ticket: Ticket, now: number): SlaState {
  const clock = nextClock(ticket);
  if (clock && clock.dueAt <= now) return 'breached';
  return ticket.sla.state;
}

/** The board's order (the server's): nearest due instant first, no running clock last, then id. */
export function compareByDue(a: Ticket, b: Ticket): number {
  const da = nextClock(a)?.dueAt ?? Number.POSITIVE_INFINITY;
  const db = nextClock(b)?.dueAt ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a ticket passes the board's team and priority filters. */
export function matchesFilter(ticket: Ticket, filter: BoardFilter): boolean {
  if (filter.teamId && ticket.teamId !== filter.teamId) return false;
  if (filter.priority && ticket.priority !== filter.priority) return false;
  return true;
}

/** Whether a pushed ticket belongs on the board under `filter` (open, under a policy, matching). */
export function onBoard(ticket: Ticket, filter: BoardFilter): boolean {
  if (!ticket.sla?.policyId) return false;
  if (ticket.status === 'resolved' || ticket.status === 'closed') return false;
  return matchesFilter(ticket, filter);
}

/**
 * The list after a pushed ticket: replaced, added or removed, re-sorted, at most `limit` long. A
 * ticket pushed out of order (older `updatedAt` than the one shown) is ignored.
 */
export function applyTicket(list: Ticket[], ticket: Ticket, filter: BoardFilter, limit: number): Ticket[] {
  const index = list.findIndex((t) => t.id === ticket.id);
  if (index >= 0 && list[index].updatedAt && ticket.updatedAt && Date.parse(ticket.updatedAt) < Date.parse(list[index].updatedAt)) return list;
  const rest = index >= 0 ? [...list.slice(0, index), ...list.slice(index + 1)] : list.slice();
  if (!onBoard(ticket, filter)) return index >= 0 ? rest : list;
  rest.push(ticket);
  rest.sort(compareByDue);
  return rest.slice(0, limit);
}

export function breachKey(ticketId: string, metric: SlaMetric, dueAt: string): string {
  return `${ticketId}|${metric}|${Date.parse(dueAt)}`;
}

/** Adds a live breach at the top (newest first); a repeat of one clock instant only refreshes the ticket. */
export function addBreach(feed: BreachEntry[], event: SlaEvent, at: number): BreachEntry[] {
  const key = breachKey(event.ticket.id, event.metric, event.dueAt);
  const existing = feed.find((e) => e.key === key);
  if (existing) return feed.map((e) => (e.key === key ? { ...e, ticket: event.ticket } : e));
  const entry: BreachEntry = { key, metric: event.metric, dueAt: event.dueAt, at, ticket: event.ticket, live: true };
  return [entry, ...feed].sort((a, b) => b.at - a.at).slice(0, FEED_LIMIT);
}

/**
 * Breaches already on the board when it loads (their clock's due instant has passed), so the feed
 * is not empty on a fresh page; merged with what was seen live, newest first.
 */
export function seedBreaches(feed: BreachEntry[], tickets: Ticket[], now: number): BreachEntry[] {
  const known = new Set(feed.map((e) => e.key));
  const seeded: BreachEntry[] = [];
  for (const ticket of tickets) {
    for (const [metric, field] of DUE_FIELDS) {
      const value = ticket.sla[field] as string | null;
      if (!value) continue;
      const dueAt = Date.parse(value);
      if (Number.isNaN(dueAt) || dueAt > now) continue;
      const key = breachKey(ticket.id, metric, value);
      if (known.has(key)) continue;
      known.add(key);
      seeded.push({ key, metric, dueAt: value, at: dueAt, ticket, live: false });
    }
  }
  if (!seeded.length) return feed;
  return [...feed, ...seeded].sort((a, b) => b.at - a.at).slice(0, FEED_LIMIT);
}

/** Keeps the feed's tickets current when a ticket is pushed (subject, assignee, state). */
export function refreshFeedTicket(feed: BreachEntry[], ticket: Ticket): BreachEntry[] {
  if (!feed.some((e) => e.ticket.id === ticket.id)) return feed;
  return feed.map((e) => (e.ticket.id === ticket.id ? { ...e, ticket } : e));
}

/** `ms` as [days, hours, minutes, seconds] of its absolute value. */
export function clockParts(ms: number): [number, number, number, number] {
  let s = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  return [days, hours, minutes, s - minutes * 60];
}

import type { Ticket } from '../api/types';

export type SlaBadgeState = 'on_track' | 'at_risk' | 'breached' | 'paused';

/** The ticket's next SLA instant: the earliest clock still running. */
export function nextDue(ticket: Ticket): { metric: 'first_response' | 'next_response' | 'resolution'; dueAt: string } | null {
  const { sla } = ticket;
  const candidates: Array<{ metric: 'first_response' | 'next_response' | 'resolution'; dueAt: string | null }> = [
    { metric: 'first_response', dueAt: ticket.firstResponseAt ? null : sla.firstResponseDueAt },
    { metric: 'next_response', dueAt: sla.nextResponseDueAt },
    { metric: 'resolution', dueAt: ticket.status === 'resolved' || ticket.status === 'closed' ? null : sla.resolutionDueAt },
  ];
  let best: { metric: 'first_response' | 'next_response' | 'resolution'; dueAt: string } | null = null;
  for (const c of candidates) if (c.dueAt && (!best || c.dueAt < best.dueAt)) best = { metric: c.metric, dueAt: c.dueAt };
  return best;
}

/** What the badge shows at `now`: the server's state, and breached as soon as the instant passes. */
export function badgeState(ticket: Ticket, now: number): { state: SlaBadgeState; due: ReturnType<typeof nextDue>; remainingMs: number } | null {
  const state = ticket.sla.state;
  if (state === 'none' || state === 'met') return null;
  const due = nextDue(ticket);
  if (state === 'paused') return { state: 'paused', due, remainingMs: 0 };
  if (!due) return state === 'breached' ? { state: 'breached', due, remainingMs: 0 } : null;
  const remainingMs = new Date(due.dueAt).getTime() - now;
  if (state === 'breached' || remainingMs <= 0) return { state: 'breached', due, remainingMs };
  return { state: state === 'at_risk' ? 'at_risk' : 'on_track', due, remainingMs };
}

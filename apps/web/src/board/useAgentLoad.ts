import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api/client';
import type { Agent, Page, SlaState, Ticket } from '../api/types';
import { useConnectionState, useSocketEvent } from '../realtime/socket';
import { useDebounced } from './useBoard';

export type PresenceStatus = 'online' | 'away' | 'offline';

/** Open work: everything not resolved or closed. */
export const OPEN_STATUSES = ['open', 'pending', 'snoozed'] as const;
/** Per assignee, the tickets API is asked for one page this big; more shows as "200+". */
export const COUNT_PAGE = 200;
/** A full recount this often, on top of the live adjustments. */
const RECOUNT_MS = 60_000;
const UNASSIGNED = 'none';

export interface AgentLoadRow {
  /** Agent id, or null for the unassigned row. */
  id: string | null;
  name: string | null;
  role: Agent['role'] | null;
  presence: PresenceStatus | null;
  lastSeenAt: string | null;
  open: number;
  /** The count reached the page size: there are at least `open`. */
  more: boolean;
  breached: number;
  atRisk: number;
}

interface Tracked {
  assignee: string; // agent id or UNASSIGNED
  state: SlaState;
}

/** Runs `tasks` with at most `limit` at a time. */
async function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Agent load and presence: the agents (`GET /api/agents`, with presence), kept live by
 * `presence.updated`; the open tickets per assignee from the tickets API (one page per agent), kept
 * live by every pushed ticket (its assignee and status are known, so the counts move at once) and
 * recounted every minute and after a reconnect that missed events.
 */
export function useAgentLoad(): { rows: AgentLoadRow[]; error: unknown; loading: boolean; reload(): void } {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [presence, setPresence] = useState<Record<string, { status: PresenceStatus; lastSeenAt: string | null }>>({});
  const [tracked, setTracked] = useState<Map<string, Tracked>>(new Map());
  const [more, setMore] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const list = (await api<{ items: Agent[] }>('/api/agents')).items.filter((a) => a.active !== false);
      const assignees = [...list.map((a) => a.id), UNASSIGNED];
      const pages = await pooled(
        assignees.map((assigneeId) => () => api<Page<Ticket>>(`/api/tickets${query({ assigneeId, status: OPEN_STATUSES.join(','), limit: COUNT_PAGE })}`)),
        4,
      );
      if (mine !== generation.current) return;
      const nextTracked = new Map<string, Tracked>();
      const nextMore = new Set<string>();
      pages.forEach((page, i) => {
        for (const t of page.items) nextTracked.set(t.id, { assignee: assignees[i], state: t.sla?.state ?? 'none' });
        if (page.nextCursor) nextMore.add(assignees[i]);
      });
      setAgents(list);
      setPresence(Object.fromEntries(list.map((a) => [a.id, { status: a.presence?.status ?? 'offline', lastSeenAt: a.presence?.lastSeenAt ?? null }])));
      setTracked(nextTracked);
      setMore(nextMore);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  const reloadSoon = useDebounced(() => void load(), 1000, 5000);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), RECOUNT_MS);
    return () => clearInterval(timer);
  }, [load]);

  const connection = useConnectionState();
  const wasConnected = useRef(connection === 'connected');
  useEffect(() => {
    if (connection === 'connected' && !wasConnected.current) reloadSoon();
    wasConnected.current = connection === 'connected';
  }, [connection, reloadSoon]);

  const onTicket = (ticket: Ticket) => {
    if (!ticket?.id) return;
    setTracked((current) => {
      const isOpen = (OPEN_STATUSES as readonly string[]).includes(ticket.status);
      const before = current.get(ticket.id);
      const assignee = ticket.assigneeId ?? UNASSIGNED;
      const state = ticket.sla?.state ?? 'none';
      if (!isOpen && !before) return current;
      if (isOpen && before && before.assignee === assignee && before.state === state) return current;
      const next = new Map(current);
      if (isOpen) next.set(ticket.id, { assignee, state });
      else next.delete(ticket.id);
      return next;
    });
  };
  useSocketEvent<Ticket>('ticket.created', onTicket);
  useSocketEvent<Ticket>('ticket.updated', onTicket);
  useSocketEvent<{ ticket: Ticket }>('sla.warning', (e) => onTicket(e?.ticket));
  useSocketEvent<{ ticket: Ticket }>('sla.breached', (e) => onTicket(e?.ticket));
  useSocketEvent<{ agentId: string; status: PresenceStatus; lastSeenAt: string | null }>('presence.updated', (e) => {
    if (!e?.agentId) return;
    setPresence((current) => ({ ...current, [e.agentId]: { status: e.status, lastSeenAt: e.lastSeenAt ?? null } }));
  });
  useSocketEvent('resync', () => void load());

  const counts = new Map<string, { open: number; breached: number; atRisk: number }>();
  for (const { assignee, state } of tracked.values()) {
    const c = counts.get(assignee) ?? { open: 0, breached: 0, atRisk: 0 };
    c.open++;
    if (state === 'breached') c.breached++;
    if (state === 'at_risk') c.atRisk++;
    counts.set(assignee, c);
  }
  const rows: AgentLoadRow[] = agents.map((a) => ({
    id: a.id,
    name: a.name,
    role: a.role,
    presence: presence[a.id]?.status ?? 'offline',
    lastSeenAt: presence[a.id]?.lastSeenAt ?? null,
    ...(counts.get(a.id) ?? { open: 0, breached: 0, atRisk: 0 }),
    more: more.has(a.id),
  }));
  const order: Record<PresenceStatus, number> = { online: 0, away: 1, offline: 2 };
  rows.sort((x, y) => order[x.presence!] - order[y.presence!] || y.open - x.open || (x.name ?? '').localeCompare(y.name ?? ''));
  if (agents.length) {
    rows.push({
      id: null,
      name: null,
      role: null,
      presence: null,
      lastSeenAt: null,
      ...(counts.get(UNASSIGNED) ?? { open: 0, breached: 0, atRisk: 0 }),
      more: more.has(UNASSIGNED),
    });
  }
  // Tickets assigned to someone not in the list (deactivated since) are simply not shown.
  return { rows, error, loading, reload: () => void load() };
}

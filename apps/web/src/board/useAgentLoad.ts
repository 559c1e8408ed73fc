import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Agent } from '../api/types';
import { useConnectionState, useSocketEvent } from '../realtime/socket';
import { useDebounced } from './useBoard';

export type PresenceStatus = 'online' | 'away' | 'offline';

/** A full recount this often, on top of the recounts that pushed tickets trigger. */
const RECOUNT_MS = 60_000;

export interface AgentLoadRow {
  /** Agent id, or null for the unassigned row. */
  id: string | null;
  name: string | null;
  role: Agent['role'] | null;
  presence: PresenceStatus | null;
  lastSeenAt: string | null;
  /** Open, pending and snoozed tickets. */
  open: number;
  breached: number;
  atRisk: number;
}

interface Counts {
  open: number;
  breached: number;
  atRisk: number;
}

const NONE: Counts = { open: 0, breached: 0, atRisk: 0 };
const UNASSIGNED = 'none';

/**
 * Agent load and presence: the agents (`GET /api/agents`, with presence), kept live by
 * `presence.updated`; the open work per assignee counted by the server (`GET /api/reports/agent-load`,
 * one query), recounted shortly after pushed ticket changes (at most every 3 s while they keep
 * coming), every minute, and after a reconnect that missed events.
 */
export function useAgentLoad(): { rows: AgentLoadRow[]; error: unknown; loading: boolean; reload(): void } {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [presence, setPresence] = useState<Record<string, { status: PresenceStatus; lastSeenAt: string | null }>>({});
  const [counts, setCounts] = useState<Map<string, Counts>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const load = useCallback(async (withAgents: boolean) => {
    const mine = ++generation.current;
    try {
      const [list, load] = await Promise.all([
        withAgents ? api<{ items: Agent[] }>('/api/agents').then((r) => r.items.filter((a) => a.active !== false)) : null,
        api<{ rows: Array<Counts & { assigneeId: string | null }> }>('/api/reports/agent-load'),
      ]);
      if (mine !== generation.current) return;
      if (list) {
        setAgents(list);
        setPresence(Object.fromEntries(list.map((a) => [a.id, { status: a.presence?.status ?? 'offline', lastSeenAt: a.presence?.lastSeenAt ?? null }])));
      }
      setCounts(new Map(load.rows.map(({ assigneeId, ...c }) => [assigneeId ?? UNASSIGNED, c])));
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  const recountSoon = useDebounced(() => void load(false), 600, 3000);
  const reloadSoon = useDebounced(() => void load(true), 1000, 5000);

  useEffect(() => {
    void load(true);
    const timer = setInterval(() => void load(true), RECOUNT_MS);
    return () => clearInterval(timer);
  }, [load]);

  const connection = useConnectionState();
  const wasConnected = useRef(connection === 'connected');
  useEffect(() => {
    if (connection === 'connected' && !wasConnected.current) reloadSoon();
    wasConnected.current = connection === 'connected';
  }, [connection, reloadSoon]);

  useSocketEvent('ticket.created', recountSoon);
  useSocketEvent('ticket.updated', recountSoon);
  useSocketEvent('sla.warning', recountSoon);
  useSocketEvent('sla.breached', recountSoon);
  useSocketEvent<{ agentId: string; status: PresenceStatus; lastSeenAt: string | null }>('presence.updated', (e) => {
    if (!e?.agentId) return;
    setPresence((current) => ({ ...current, [e.agentId]: { status: e.status, lastSeenAt: e.lastSeenAt ?? null } }));
  });
  useSocketEvent('resync', () => void load(true));

  const rows: AgentLoadRow[] = agents.map((a) => ({
    id: a.id,
    name: a.name,
    role: a.role,
    presence: presence[a.id]?.status ?? 'offline',
    lastSeenAt: presence[a.id]?.lastSeenAt ?? null,
    ...(counts.get(a.id) ?? NONE),
  }));
  const order: Record<PresenceStatus, number> = { online: 0, away: 1, offline: 2 };
  rows.sort((x, y) => order[x.presence!] - order[y.presence!] || y.open - x.open || (x.name ?? '').localeCompare(y.name ?? ''));
  if (agents.length) rows.push({ id: null, name: null, role: null, presence: null, lastSeenAt: null, ...(counts.get(UNASSIGNED) ?? NONE) });
  // Tickets assigned to someone not in the list (deactivated since) are simply not shown.
  return { rows, error, loading, reload: () => void load(true) };
}

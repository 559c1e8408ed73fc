import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Agent, Team } from '../api/types';
import { useSocketEvent } from '../realtime/socket';
import { reportError } from '../ui/toasts';

/** Agents and teams, loaded once per session (names for assignees, the "my teams" view, presence). */

interface Directory {
  loaded: boolean;
  agents: Agent[];
  teams: Team[];
}

let state: Directory = { loaded: false, agents: [], teams: [] };
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: Directory): void {
  state = next;
  listeners.forEach((l) => l());
}

export function loadDirectory(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = (async () => {
    try {
      const [agents, teams] = await Promise.all([api<{ items: Agent[] }>('/api/agents'), api<{ items: Team[] }>('/api/teams')]);
      set({ loaded: true, agents: agents.items, teams: teams.items });
    } catch (error) {
      loading = null;
      reportError(error);
    }
  })();
  return loading;
}

export function resetDirectory(): void {
  loading = null;
  set({ loaded: false, agents: [], teams: [] });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => state;

export function useDirectory(): Directory {
  const directory = useSyncExternalStore(subscribe, get, get);
  useEffect(() => {
    void loadDirectory();
  }, []);
  return directory;
}

export function agentName(id: string | null | undefined): string | null {
  if (!id) return null;
  return state.agents.find((a) => a.id === id)?.name ?? null;
}

/** Keeps agents' presence current (mounted once by the shell). */
export function usePresenceUpdates(): void {
  useSocketEvent<{ agentId: string; status: 'online' | 'away' | 'offline'; lastSeenAt: string | null }>('presence.updated', (p) => {
    if (!state.agents.some((a) => a.id === p.agentId)) return;
    set({ ...state, agents: state.agents.map((a) => (a.id === p.agentId ? { ...a, presence: { status: p.status, lastSeenAt: p.lastSeenAt } } : a)) });
  });
}

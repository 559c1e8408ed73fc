import { useSyncExternalStore } from 'react';
import { api, getToken, onUnauthorized, setToken } from '../api/client';
import type { AgentSummary } from '../api/types';

/**
 * The signed-in agent. The token lives in localStorage (the session survives a reload); the agent
 * is re-read from `GET /api/agents/me` at start-up.
 */

export type SessionAgent = AgentSummary;

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  agent: SessionAgent | null;
}

const AGENT_KEY = 'pasokh.agent';
let state: SessionState = initialState();
const listeners = new Set<() => void>();

function initialState(): SessionState {
  if (!getToken()) return { status: 'signed-out', agent: null };
  try {
    const cached = JSON.parse(localStorage.getItem(AGENT_KEY) ?? 'null') as SessionAgent | null;
    if (cached) return { status: 'signed-in', agent: cached };
  } catch {
    // fall through
  }
  return { status: 'loading', agent: null };
}

function set(next: SessionState): void {
  state = next;
  try {
    if (next.agent) localStorage.setItem(AGENT_KEY, JSON.stringify(next.agent));
    else localStorage.removeItem(AGENT_KEY);
  } catch {
    // storage disabled
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSession(): SessionState {
  return state;
}

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

onUnauthorized(() => {
  setToken(null);
  set({ status: 'signed-out', agent: null });
});

let refreshed: Promise<void> | null = null;

/**
 * Re-reads the agent behind the stored token; a dead token signs out. Once per page load is enough
 * (start-up asks from two places); `force` asks again, e.g. when the socket refused the token.
 */
export function refreshSession(force = false): Promise<void> {
  if (!refreshed || force) {
    refreshed = readSession();
    refreshed.catch(() => (refreshed = null));
  }
  return refreshed;
}

async function readSession(): Promise<void> {
  if (!getToken()) return set({ status: 'signed-out', agent: null });
  try {
    const me = await api<SessionAgent>('/api/agents/me');
    set({ status: 'signed-in', agent: { id: me.id, name: me.name, email: me.email, role: me.role } });
  } catch (error) {
    // A network failure keeps the cached agent (the banner tells the agent); a 401 already signed out.
    if (state.status === 'loading' && getToken()) set({ status: 'signed-out', agent: null });
    throw error;
  }
}

export async function login(email: string, password: string): Promise<SessionAgent> {
  const result = await api<{ accessToken: string; agent: SessionAgent }>('/api/auth/login', { method: 'POST', body: { email, password } });
  setToken(result.accessToken);
  set({ status: 'signed-in', agent: result.agent });
  return result.agent;
}

export async function logout(): Promise<void> {
  try {
    if (getToken()) await api('/api/auth/logout', { method: 'POST' });
  } catch {
    // the local session ends whatever the server says
  } finally {
    setToken(null);
    set({ status: 'signed-out', agent: null });
  }
}

/** For screens behind the login: the agent is always there. */
export function useSession(): { agent: SessionAgent; logout(): void } {
  const session = useSessionState();
  if (!session.agent) throw new Error('useSession() outside a signed-in screen');
  return { agent: session.agent, logout: () => void logout() };
}

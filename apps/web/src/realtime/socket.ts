import { useEffect, useRef, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';

/**
 * The one socket.io connection to `/agents` (docs/API.md "Real time"). Components subscribe to
 * events with useSocketEvent; the connection itself is opened by the app shell after login.
 *
 * Broadcasts come batched (`auth.batch`): one `events` frame carries several events, unpacked here
 * in order, so a busy inbox costs the browser a frame per batch, not per event.
 *
 * Catch-up: socket.io connection-state recovery replays missed events after a short drop. When the
 * server says it could not (`resync`, or `ready { recovered: false }` after an earlier connection),
 * a local `resync` event is dispatched to every `useSocketEvent('resync', …)`: lists and threads refetch.
 */

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

type Handler = (payload: any) => void;

let socket: Socket | null = null;
let connection: ConnectionState = 'disconnected';
let everConnected = false;
const handlers = new Map<string, Set<Handler>>();
const stateListeners = new Set<() => void>();

function setConnection(next: ConnectionState): void {
  if (connection === next) return;
  connection = next;
  stateListeners.forEach((l) => l());
}

function dispatch(event: string, payload: unknown): void {
  handlers.get(event)?.forEach((handler) => {
    try {
      handler(payload);
    } catch (error) {
      console.error(`handler of ${event} failed`, error);
    }
  });
}

/** Opens (or re-opens with a new token) the agent socket. */
export function connectSocket(token: string): void {
  disconnectSocket();
  everConnected = false;
  setConnection('connecting');
  const s = io('/agents', {
    auth: { token, batch: true },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // A connection attempt that neither opens nor fails (a proxy that accepts and drops it) is
    // abandoned after 5 s and retried, instead of the default 20 s.
    timeout: 5000,
  });
  socket = s;
  s.on('connect', () => setConnection('connected'));
  s.on('disconnect', (reason) => {
    setConnection(reason === 'io client disconnect' ? 'disconnected' : 'connecting');
    // The server ended the session (token revoked, role changed): try again; a dead token fails at connect.
    if (reason === 'io server disconnect') s.connect();
    dispatch('disconnect', { reason });
  });
  s.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    setConnection('disconnected');
    dispatch('connect_error', { message: error.message, code: error.data?.code });
  });
  s.io.on('reconnect_attempt', () => setConnection('connecting'));
  s.onAny((event: string, payload: unknown) => {
    if (event === 'ready') {
      const ready = payload as { recovered?: boolean };
      if (everConnected && !ready?.recovered) dispatch('resync', { reason: 'reconnected without recovery' });
      everConnected = true;
    } else if (event === 'resync') {
      dispatch('resync', payload);
      return;
    } else if (event === 'events') {
      for (const [name, inner] of payload as Array<[string, unknown]>) dispatch(name, inner);
      return;
    }
    dispatch(event, payload);
  });
}

export function disconnectSocket(): void {
  if (!socket) return;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  socket = null;
  setConnection('disconnected');
}

/** Sends a client → server event and resolves with its acknowledgement (`{ ok, … }`). */
export async function emit<T = { ok: boolean; error?: { code: string; message: string } }>(event: string, payload: unknown, timeoutMs = 5000): Promise<T | null> {
  if (!socket?.connected) return null;
  try {
    return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as T;
  } catch {
    return null;
  }
}

/** Subscribes for the component's lifetime; the latest handler is always the one called. */
export function useSocketEvent<T>(event: string, handler: (payload: T) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const wrapped: Handler = (payload) => ref.current(payload as T);
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(wrapped);
    return () => {
      set!.delete(wrapped);
    };
  }, [event]);
}

function subscribeState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

const getConnection = () => connection;

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(subscribeState, getConnection, getConnection);
}

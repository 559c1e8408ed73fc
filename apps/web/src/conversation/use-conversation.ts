import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Message, Page, Ticket, Viewer } from '../api/types';
import { emit, useSocketEvent } from '../realtime/socket';
import { reportError } from '../ui/toasts';

const PAGE = 200;
const MAX_PAGES = 25;
const VIEW_HEARTBEAT_MS = 30_000;
const TYPING_SHOWN_MS = 7_000;

export interface Conversation {
  ticket: Ticket | null;
  messages: Message[];
  loading: boolean;
  notFound: boolean;
  setTicket(ticket: Ticket): void;
  addMessage(message: Message): void;
  reload(): void;
}

/** One ticket and its thread, kept live: message.created / message.updated / ticket.updated. */
export function useConversation(ticketId: string, onRead: (ticketId: string, readAt: string) => void): Conversation {
  const [ticket, setTicketState] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [loading, setLoading] = useState(true);
  const [notFound, setNotFound] = useState(false);
  const [generation, setGeneration] = useState(0);
  const readTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  const markRead = useCallback(() => {
    if (readTimer.current) clearTimeout(readTimer.current);
    readTimer.current = setTimeout(() => {
      api<{ ticketId: string; readAt: string }>(`/api/tickets/${ticketId}/read`, { method: 'PUT' })
        .then((r) => {
          onReadRef.current(ticketId, r.readAt);
          setTicketState((t) => (t ? { ...t, readAt: r.readAt } : t));
        })
        .catch((e) => reportError(e));
    }, 300);
  }, [ticketId]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setNotFound(false);
    (async () => {
      try {
        const [t, thread] = await Promise.all([
          api<Ticket>(`/api/tickets/${ticketId}`, { signal: controller.signal }),
          (async () => {
            const all: Message[] = [];
            let cursor: string | null = null;
            for (let i = 0; i < MAX_PAGES; i++) {
              const page: Page<Message> = await api<Page<Message>>(
                `/api/tickets/${ticketId}/messages?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
                { signal: controller.signal },
              );
              all.push(...page.items);
              cursor = page.nextCursor;
              if (!cursor) break;
            }
            return all;
          })(),
        ]);
        if (controller.signal.aborted) return;
        setTicketState(t);
        setMessages((live) => mergeMessages(thread, live));
        markRead();
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        if ((error as { code?: string }).code === 'TICKET_NOT_FOUND') setNotFound(true);
        else reportError(error);
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    })();
    return () => {
      controller.abort();
      if (readTimer.current) clearTimeout(readTimer.current);
    };
  }, [ticketId, generation, markRead]);

  const addMessage = useCallback((message: Message) => {
    setMessages((current) => mergeMessages(current, [message]));
  }, []);

  const setTicket = useCallback((next: Ticket) => {
    setTicketState((old) => ({ ...next, readAt: next.readAt !== undefined ? next.readAt : old?.readAt, preview: old?.preview }));
  }, []);

  useSocketEvent<Ticket>('ticket.updated', (t) => {
    if (t.id === ticketId) setTicket(t);
  });
  useSocketEvent<Message>('message.created', (m) => {
    if (m.ticketId !== ticketId) return;
    addMessage(m);
    if (m.direction === 'inbound' && document.visibilityState === 'visible') markRead();
  });
  useSocketEvent<Message>('message.updated', (m) => {
    if (m.ticketId === ticketId) addMessage(m);
  });
  useSocketEvent('resync', () => setGeneration((g) => g + 1));
  // Messages that came while the tab was hidden are read when the agent looks again.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') markRead();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [markRead]);

  return { ticket, messages, loading, notFound, setTicket, addMessage, reload: () => setGeneration((g) => g + 1) };
}

/** By id (a later copy wins: delivery status moves forward), in creation order. */
function mergeMessages(base: Message[], incoming: Message[]): Message[] {
  const byId = new Map(base.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const old = byId.get(m.id);
    if (old && old === m) continue;
    byId.set(m.id, old ? { ...old, ...m } : m);
    changed = true;
  }
  if (!changed) return base;
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
}

export interface Collisions {
  viewers: Viewer[];
  /** Agents writing a reply, and the customer writing in a live chat (agentId null). */
  typing: Array<{ agentId: string | null; name: string | null }>;
}

/** Who else has the ticket open, and who is typing; this agent's own view and typing heartbeats. */
export function useCollisions(ticketId: string): Collisions & { setTyping(typing: boolean): void } {
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [typing, setTypingList] = useState<Array<{ agentId: string | null; name: string | null; until: number }>>([]);
  const typingState = useRef({ active: false, lastSent: 0, idle: null as ReturnType<typeof setTimeout> | null });

  const view = useCallback(async () => {
    const ack = await emit<{ ok: boolean; viewers?: Viewer[] }>('ticket.view', { ticketId });
    if (ack?.ok && ack.viewers) setViewers(ack.viewers);
  }, [ticketId]);

  useEffect(() => {
    void view();
    const timer = setInterval(() => void view(), VIEW_HEARTBEAT_MS);
    const state = typingState.current;
    return () => {
      clearInterval(timer);
      if (state.idle) clearTimeout(state.idle);
      if (state.active) void emit('typing', { ticketId, isTyping: false });
      state.active = false;
      void emit('ticket.leave', { ticketId });
    };
  }, [ticketId, view]);

  // After a reconnect the server has forgotten this socket's views: announce again.
  useSocketEvent('ready', () => void view());
  useSocketEvent<{ ticketId: string; agents: Viewer[] }>('viewing', (v) => {
    if (v.ticketId === ticketId) setViewers(v.agents);
  });
  useSocketEvent<{ ticketId: string; agentId: string | null; name: string | null; isTyping: boolean }>('typing', (e) => {
    if (e.ticketId !== ticketId) return;
    setTypingList((list) => {
      const rest = list.filter((x) => x.agentId !== e.agentId);
      return e.isTyping ? [...rest, { agentId: e.agentId, name: e.name, until: Date.now() + TYPING_SHOWN_MS }] : rest;
    });
  });
  useEffect(() => {
    if (!typing.length) return;
    const timer = setInterval(() => setTypingList((list) => list.filter((x) => x.until > Date.now())), 1000);
    return () => clearInterval(timer);
  }, [typing.length]);

  const setTyping = useCallback(
    (isTyping: boolean) => {
      const state = typingState.current;
      if (state.idle) clearTimeout(state.idle);
      if (!isTyping) {
        if (state.active) void emit('typing', { ticketId, isTyping: false });
        state.active = false;
        return;
      }
      // A heartbeat every 4 s keeps "replying" alive (TYPING_TTL_SEC is 6 s); 5 s idle ends it.
      if (!state.active || Date.now() - state.lastSent > 4000) {
        state.active = true;
        state.lastSent = Date.now();
        void emit('typing', { ticketId, isTyping: true });
      }
      state.idle = setTimeout(() => {
        if (state.active) void emit('typing', { ticketId, isTyping: false });
        state.active = false;
      }, 5000);
    },
    [ticketId],
  );

  return { viewers, typing, setTyping };
}

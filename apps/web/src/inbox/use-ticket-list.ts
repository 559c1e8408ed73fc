import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query as toSearch } from '../api/client';
import type { Message, Page, Ticket } from '../api/types';
import { useSocketEvent } from '../realtime/socket';
import { reportError } from '../ui/toasts';
import { compareTickets } from './filters';

/**
 * The inbox list: keyset pages from GET /api/tickets, fetched as the agent scrolls, and kept live
 * by ticket.created / ticket.updated / message.created (inserted, moved or dropped in place).
 */

const FIRST_PAGE = 50;
const NEXT_PAGE = 200;

export interface TicketList {
  tickets: Ticket[];
  hasMore: boolean;
  loading: boolean;
  failed: boolean;
  loadMore(): void;
  reload(): void;
  /** The agent read a ticket (PUT /read): the row is no longer unread. */
  setRead(ticketId: string, readAt: string): void;
  /** A ticket this agent can no longer see (moved into a restricted team they are not in): no push says so. */
  remove(ticketId: string): void;
}

export function useTicketList(query: Record<string, string> | null, matches: ((t: Ticket) => boolean) | null): TicketList {
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [generation, setGeneration] = useState(0);
  const key = query ? JSON.stringify(query) : null;
  const inFlight = useRef<AbortController | null>(null);
  const state = useRef({ key, cursor, hasMore, loading });
  state.current = { key, cursor, hasMore, loading };
  // Per-agent fields the pushes do not carry.
  const reads = useRef(new Map<string, string | null>());
  const previews = useRef(new Map<string, string | null>());

  const remember = (items: Ticket[]) => {
    for (const t of items) {
      if (t.readAt !== undefined) reads.current.set(t.id, t.readAt);
      if (t.preview !== undefined) previews.current.set(t.id, t.preview);
    }
  };

  const fetchPage = useCallback(
    async (after: string | null) => {
      if (!query) return;
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      setFailed(false);
      try {
        const page = await api<Page<Ticket>>(`/api/tickets${toSearch({ ...query, cursor: after, limit: after ? NEXT_PAGE : FIRST_PAGE })}`, { signal: controller.signal });
        if (controller.signal.aborted) return;
        remember(page.items);
        setTickets((current) => {
          if (!after) return page.items;
          const known = new Set(current.map((t) => t.id));
          return [...current, ...page.items.filter((t) => !known.has(t.id))];
        });
        setCursor(page.nextCursor);
        setHasMore(page.nextCursor !== null);
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        setFailed(true);
        reportError(error);
      } finally {
        if (inFlight.current === controller) {
          inFlight.current = null;
          setLoading(false);
        }
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  const shownKey = useRef<string | null>(null);
  useEffect(() => {
    // A new view starts empty; a refetch of the same view (resync, retry) keeps the rows until the
    // fresh first page replaces them.
    if (shownKey.current !== key) {
      shownKey.current = key;
      setTickets([]);
      setCursor(null);
      setHasMore(false);
    }
    if (key) void fetchPage(null);
    else setLoading(false);
    return () => inFlight.current?.abort();
  }, [key, generation, fetchPage]);

  const loadMore = useCallback(() => {
    const s = state.current;
    if (s.loading || !s.hasMore || !s.cursor) return;
    void fetchPage(s.cursor);
  }, [fetchPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const upsert = useCallback(
    (incoming: Ticket) => {
      const ticket: Ticket = {
        ...incoming,
        readAt: incoming.readAt !== undefined ? incoming.readAt : reads.current.get(incoming.id),
        preview: incoming.preview !== undefined ? incoming.preview : previews.current.get(incoming.id),
      };
      setTickets((current) => {
        const index = current.findIndex((t) => t.id === ticket.id);
        // A search is matched by the server: a push only refreshes a row already there.
        const belongs = matches ? matches(ticket) : index >= 0;
        if (!belongs) return index >= 0 ? current.filter((t) => t.id !== ticket.id) : current;
        const rest = index >= 0 ? current.filter((t) => t.id !== ticket.id) : current;
        let at = rest.findIndex((t) => compareTickets(ticket, t) < 0);
        if (at < 0) {
          // Past the loaded part of a longer list: its page will bring it.
          if (state.current.hasMore) return rest;
          at = rest.length;
        }
        const next = rest.slice();
        next.splice(at, 0, ticket);
        return next;
      });
    },
    [matches],
  );

  useSocketEvent<Ticket>('ticket.created', upsert);
  useSocketEvent<Ticket>('ticket.updated', upsert);
  useSocketEvent<Message>('message.created', (message) => {
    if (message.kind !== 'message') return;
    const text = message.text?.slice(0, 200) ?? null;
    if (text) previews.current.set(message.ticketId, text);
    setTickets((current) => {
      const index = current.findIndex((t) => t.id === message.ticketId);
      if (index < 0) return current;
      const old = current[index];
      const ticket: Ticket = {
        ...old,
        preview: text ?? old.preview,
        lastMessageAt: message.createdAt > old.lastMessageAt ? message.createdAt : old.lastMessageAt,
        lastCustomerMessageAt:
          message.direction === 'inbound' && (!old.lastCustomerMessageAt || message.createdAt > old.lastCustomerMessageAt) ? message.createdAt : old.lastCustomerMessageAt,
      };
      const rest = current.filter((t) => t.id !== ticket.id);
      let at = rest.findIndex((t) => compareTickets(ticket, t) < 0);
      if (at < 0) at = rest.length;
      const next = rest.slice();
      next.splice(at, 0, ticket);
      return next;
    });
  });
  useSocketEvent('resync', reload);

  const setRead = useCallback((ticketId: string, readAt: string) => {
    reads.current.set(ticketId, readAt);
    setTickets((current) => current.map((t) => (t.id === ticketId ? { ...t, readAt } : t)));
  }, []);

  const remove = useCallback((ticketId: string) => setTickets((current) => current.filter((t) => t.id !== ticketId)), []);

  return { tickets, hasMore, loading, failed, loadMore, reload, setRead, remove };
}

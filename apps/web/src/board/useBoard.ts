import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api/client';
import type { Ticket } from '../api/types';
import { useConnectionState, useSocketEvent } from '../realtime/socket';
import { addBreach, applyTicket, matchesFilter, type BoardFilter, type BoardResponse, type BoardSummary, type BreachEntry, refreshFeedTicket, seedBreaches, type SlaEvent } from './sla';

/** How many tickets the board lists (the API allows up to 200). */
export const BOARD_LIMIT = 100;
/** Wall mode refetches this often on top of the live updates (a wall screen runs for days). */
const WALL_REFRESH_MS = 30_000;

/**
 * A trailing debounce with a ceiling: calls `fn` `waitMs` after the last trigger, but at least every
 * `maxWaitMs` while triggers keep coming (a busy floor never starves the refetch).
 */
export function useDebounced(fn: () => void, waitMs: number, maxWaitMs: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const first = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    const now = Date.now();
    first.current ??= now;
    if (timer.current) clearTimeout(timer.current);
    const wait = Math.max(0, Math.min(waitMs, first.current + maxWaitMs - now));
    timer.current = setTimeout(() => {
      timer.current = null;
      first.current = null;
      fnRef.current();
    }, wait);
  }, [waitMs, maxWaitMs]);
}

export interface BoardData {
  summary: BoardSummary | null;
  tickets: Ticket[];
  feed: BreachEntry[];
  /** The last load's failure (cleared by the next success). */
  error: unknown;
  loading: boolean;
  /** When the board was last fetched (ms). */
  loadedAt: number | null;
  reload(): void;
}

/**
 * `GET /api/sla/board`, kept live: pushed tickets are re-sorted into the list at once, the counts
 * come from a debounced refetch, and `sla.breached` feeds the breach list. After a reconnect that
 * missed events (`resync`) or a dropped connection, everything is fetched again.
 */
export function useBoard(filter: BoardFilter, wall: boolean, onBreach?: (entry: SlaEvent) => void): BoardData {
  const [summary, setSummary] = useState<BoardSummary | null>(null);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [feed, setFeed] = useState<BreachEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const { teamId, priority } = filterRef.current;
    try {
      const board = await api<BoardResponse>(`/api/sla/board${query({ limit: BOARD_LIMIT, teamId, priority })}`, { signal: controller.signal });
      if (controller.signal.aborted) return;
      setSummary(board.summary);
      setTickets(board.tickets);
      setFeed((current) => seedBreaches(current, board.tickets, Date.now()));
      setError(null);
      setLoadedAt(Date.now());
    } catch (e) {
      if (controller.signal.aborted || (e as Error)?.name === 'AbortError') return;
      setError(e);
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  }, []);

  const refetchSoon = useDebounced(() => void load(), 600, 3000);

  useEffect(() => {
    setLoading(true);
    setFeed([]);
    void load();
    return () => inFlight.current?.abort();
  }, [load, filter.teamId, filter.priority]);

  useEffect(() => {
    if (!wall) return;
    const timer = setInterval(() => void load(), WALL_REFRESH_MS);
    return () => clearInterval(timer);
  }, [wall, load]);

  // A connection that comes back may have missed pushes beyond the recovery window: refetch.
  const connection = useConnectionState();
  const wasConnected = useRef(connection === 'connected');
  useEffect(() => {
    if (connection === 'connected' && !wasConnected.current) refetchSoon();
    wasConnected.current = connection === 'connected';
  }, [connection, refetchSoon]);

  const onTicket = (ticket: Ticket) => {
    if (!ticket?.id) return;
    setTickets((list) => applyTicket(list, ticket, filterRef.current, BOARD_LIMIT));
    setFeed((current) => refreshFeedTicket(current, ticket));
    refetchSoon();
  };

  useSocketEvent<Ticket>('ticket.created', onTicket);
  useSocketEvent<Ticket>('ticket.updated', onTicket);
  useSocketEvent<SlaEvent>('sla.warning', (event) => onTicket(event?.ticket));
  useSocketEvent<SlaEvent>('sla.breached', (event) => {
    if (!event?.ticket?.id) return;
    onTicket(event.ticket);
    if (!matchesFilter(event.ticket, filterRef.current)) return;
    setFeed((current) => addBreach(current, event, Date.now()));
    onBreach?.(event);
  });
  useSocketEvent('resync', () => void load());

  return { summary, tickets, feed, error, loading, loadedAt, reload: () => void load() };
}

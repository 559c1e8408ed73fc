import type { Priority, Ticket, TicketStatus } from '../api/types';

/** The inbox's view and filters: kept in the URL (shareable, survive reload), sent as API query params. */

export type View = 'mine' | 'unassigned' | 'teams' | 'all';
export const VIEWS: View[] = ['mine', 'unassigned', 'teams', 'all'];

export const STATUS_FILTERS = ['active', 'open', 'pending', 'snoozed', 'resolved', 'closed', 'any'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
export const CHANNEL_TYPES = ['email', 'whatsapp', 'telegram', 'twilio_sms', 'messenger', 'instagram', 'webchat', 'api'] as const;

export interface InboxFilters {
  view: View;
  status: StatusFilter;
  channelType: string;
  priority: string;
  tag: string;
  assignee: string; // '' | 'me' | 'none' | agent id (views "teams" and "all")
  team: string; // the team of the "teams" view
  q: string;
}

export function isView(value: string | undefined): value is View {
  return !!value && (VIEWS as string[]).includes(value);
}

export function readFilters(view: View, params: URLSearchParams): InboxFilters {
  const status = params.get('status') ?? 'active';
  return {
    view,
    status: (STATUS_FILTERS as readonly string[]).includes(status) ? (status as StatusFilter) : 'active',
    channelType: params.get('channel') ?? '',
    priority: params.get('priority') ?? '',
    tag: params.get('tag') ?? '',
    assignee: params.get('assignee') ?? '',
    team: params.get('team') ?? '',
    q: params.get('q') ?? '',
  };
}

/** Only what differs from the defaults, so URLs stay short. */
export function writeFilters(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== 'active') params.set('status', filters.status);
  if (filters.channelType) params.set('channel', filters.channelType);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.assignee && (filters.view === 'all' || filters.view === 'teams')) params.set('assignee', filters.assignee);
  if (filters.team && filters.view === 'teams') params.set('team', filters.team);
  if (filters.q) params.set('q', filters.q);
  return params;
}

function statuses(filter: StatusFilter): TicketStatus[] | null {
  if (filter === 'any') return null;
  if (filter === 'active') return ['open', 'pending', 'snoozed'];
  return [filter];
}

/** GET /api/tickets query parameters (docs/API.md); null when the view cannot be listed (no team). */
export function toQuery(filters: InboxFilters, teamId: string | null): Record<string, string> | null {
  const query: Record<string, string> = {};
  const list = statuses(filters.status);
  if (list) query.status = list.join(',');
  if (filters.channelType) query.channelType = filters.channelType;
  if (filters.priority) query.priority = filters.priority;
  if (filters.tag) query.tag = filters.tag;
  if (filters.q) query.q = filters.q;
  if (filters.view === 'mine') query.assigneeId = 'me';
  else if (filters.view === 'unassigned') query.assigneeId = 'none';
  else if (filters.assignee) query.assigneeId = filters.assignee;
  if (filters.view === 'teams') {
    if (!teamId) return null;
    query.teamId = teamId;
  }
  return query;
}

/**
 * Whether a pushed ticket belongs in the list, by the same rules as the server's filter. With a
 * search (`q`, matched by the server with letter folding) it cannot be decided here: null.
 */
export function matcher(query: Record<string, string>, myId: string): ((ticket: Ticket) => boolean) | null {
  if (query.q) return null;
  const statusList = query.status?.split(',');
  const priorityList = query.priority?.split(',');
  return (ticket) => {
    if (statusList && !statusList.includes(ticket.status)) return false;
    if (priorityList && !priorityList.includes(ticket.priority)) return false;
    if (query.channelType && ticket.channel.type !== query.channelType) return false;
    if (query.tag && !ticket.tags.includes(query.tag)) return false;
    if (query.teamId && ticket.teamId !== query.teamId) return false;
    if (query.assigneeId) {
      const assignee = query.assigneeId === 'me' ? myId : query.assigneeId;
      if (assignee === 'none' ? ticket.assigneeId !== null : ticket.assigneeId !== assignee) return false;
    }
    return true;
  };
}

/** The list's order: latest activity first, then id (the server's keyset). */
export function compareTickets(a: Ticket, b: Ticket): number {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt < b.lastMessageAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function isUnread(ticket: Ticket): boolean {
  if (!ticket.lastCustomerMessageAt) return false;
  if (!ticket.readAt) return true;
  return new Date(ticket.lastCustomerMessageAt).getTime() > new Date(ticket.readAt).getTime();
}

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Message, Ticket } from '../api/types';
import { useFormat } from '../format';
import { useSocketEvent } from '../realtime/socket';
import { alertAgent, seen } from './attention';

/**
 * Tells the agent what is theirs: a ticket someone (or the channel's auto assignment) gave them, and,
 * while they look elsewhere, each new customer message on their tickets.
 */
export function useAttention(me: string): void {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  // The agent's own tickets seen in pushes (only theirs: the map stays small on a busy inbox).
  const mine = useRef(new Map<string, Ticket>());
  const track = (ticket: Ticket) => {
    if (ticket.assigneeId === me) mine.current.set(ticket.id, ticket);
    else mine.current.delete(ticket.id);
  };
  const open = (ticketId: string) => () => navigate(`/inbox/mine/${ticketId}`);

  useSocketEvent<Ticket>('ticket.created', track);
  useSocketEvent<Ticket>('ticket.updated', track);
  useSocketEvent<{ ticket: Ticket; by: { id: string; name: string } | null }>('ticket.assigned', ({ ticket, by }) => {
    track(ticket);
    const about = ticket.subject || ticket.customer.name || t('attention.customer');
    alertAgent({
      title: t('attention.assigned', { number: format.plain(ticket.number) }),
      body: `${by ? t('attention.assignedBy', { name: by.name }) : t('attention.assignedAuto')} · ${about}`,
      ticketId: ticket.id,
      open: open(ticket.id),
      openLabel: t('attention.open'),
    });
  });
  useSocketEvent<Message>('message.created', (message) => {
    if (message.direction !== 'inbound' || message.kind !== 'message' || !document.hidden) return;
    // The ticket's own update comes in the same frame, maybe after the message: look once it is in.
    setTimeout(() => {
      const ticket = mine.current.get(message.ticketId);
      if (!ticket || !document.hidden) return;
      alertAgent({
        title: ticket.customer.name || t('attention.customer'),
        body: message.text?.slice(0, 140) || t('attention.attachment'),
        ticketId: ticket.id,
        open: open(ticket.id),
        openLabel: t('attention.open'),
      });
    }, 0);
  });

  useEffect(() => {
    document.addEventListener('visibilitychange', seen);
    window.addEventListener('focus', seen);
    return () => {
      document.removeEventListener('visibilitychange', seen);
      window.removeEventListener('focus', seen);
    };
  }, []);
}

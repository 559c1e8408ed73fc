import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Ticket } from '../api/types';
import { useFormat, useNowEvery } from '../format';
import { ChannelIcon } from '../ui/ChannelIcon';
import { isUnread } from './filters';
import { SlaBadge } from './SlaBadge';

const ROW_HEIGHT = 84;

interface Props {
  tickets: Ticket[];
  hasMore: boolean;
  loading: boolean;
  openId: string | null;
  cursorId: string | null;
  hrefFor(ticket: Ticket): string;
  onLoadMore(): void;
  /** Focus moves to the cursor's row when this changes (j/k). */
  focusToken: number;
  label: string;
}

/**
 * The inbox list, virtualized: only the rows on screen (plus a few) are in the DOM, so 10,000
 * tickets scroll like 50. Each row is a link (Enter opens it); the next page is fetched before the
 * end is reached.
 */
export function TicketList({ tickets, hasMore, loading, openId, cursorId, hrefFor, onLoadMore, focusToken, label }: Props) {
  const { t } = useTranslation('inbox');
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = tickets.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (index) => tickets[index]?.id ?? 'more',
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useNowEvery(30_000); // "5 minutes ago" labels move on

  useEffect(() => {
    if (last && hasMore && !loading && last.index >= tickets.length - 20) onLoadMore();
  }, [last?.index, hasMore, loading, tickets.length, onLoadMore]);

  // j/k: bring the cursor's row into view, then focus its link.
  useEffect(() => {
    if (!focusToken || !cursorId) return;
    const index = tickets.findIndex((ticket) => ticket.id === cursorId);
    if (index < 0) return;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    const focus = () => scrollRef.current?.querySelector<HTMLAnchorElement>(`[data-ticket-id="${cursorId}"] a`)?.focus({ preventScroll: true });
    focus();
    const frame = requestAnimationFrame(focus);
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusToken]);

  return (
    <div className="ticket-list-scroll" ref={scrollRef} tabIndex={-1}>
      {tickets.length === 0 && !loading && !hasMore ? (
        <p className="empty">{t('empty')}</p>
      ) : (
        <ul className="ticket-list" aria-label={label} aria-busy={loading} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const ticket = tickets[item.index];
            return (
              <li
                key={item.key}
                className="ticket-row-slot"
                data-index={item.index}
                data-ticket-id={ticket?.id}
                aria-setsize={hasMore ? -1 : tickets.length}
                aria-posinset={item.index + 1}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {ticket ? (
                  <TicketRow ticket={ticket} href={hrefFor(ticket)} open={ticket.id === openId} cursor={ticket.id === cursorId} />
                ) : (
                  <div className="ticket-row ticket-row-loading">{t('loadingMore')}</div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

const TicketRow = memo(function TicketRow({ ticket, href, open, cursor }: { ticket: Ticket; href: string; open: boolean; cursor: boolean }) {
  const { t } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const unread = !open && isUnread(ticket);
  const title = ticket.subject || ticket.preview || t('noSubject');
  return (
    <Link
      to={href}
      className={`ticket-row${unread ? ' unread' : ''}${open ? ' open' : ''}${cursor ? ' cursor' : ''}`}
      aria-current={open ? 'page' : undefined}
      data-unread={unread || undefined}
    >
      <ChannelIcon type={ticket.channel.type} />
      <span className="ticket-row-main">
        <span className="ticket-row-top">
          <span className="ticket-customer" dir="auto">
            {ticket.customer.name || t('unknownCustomer')}
          </span>
          <time className="ticket-age" dateTime={ticket.lastMessageAt} title={format.dateTime(ticket.lastMessageAt)}>
            {format.relative(ticket.lastMessageAt)}
          </time>
        </span>
        <span className="ticket-subject" dir="auto">
          {unread && <span className="visually-hidden">{t('unread')}: </span>}
          {title}
        </span>
        <span className="ticket-row-meta">
          <span className="ticket-number">#{format.plain(ticket.number)}</span>
          <span className={`pill status-${ticket.status}`}>{tc(`status.${ticket.status}`)}</span>
          {ticket.priority !== 'normal' && <span className={`pill priority-${ticket.priority}`}>{tc(`priority.${ticket.priority}`)}</span>}
          <SlaBadge ticket={ticket} />
        </span>
      </span>
      {unread && <span className="unread-dot" aria-hidden="true" />}
    </Link>
  );
});

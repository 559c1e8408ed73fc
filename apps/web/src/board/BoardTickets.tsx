import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Ticket } from '../api/types';
import { useFormat } from '../format';
import { clockText, ticketNumber, ticketPath } from './labels';
import { displayState, nextClock } from './sla';
import { useNow } from './useNow';

/** Rows a wall screen shows. */
const WALL_ROWS = 12;

/**
 * A live countdown to `dueAt` (ms): "00:12:34", or "00:05:12 overdue" once passed. Within the last
 * tick, `breached` (the server's word) wins over this page's clock, which lags by up to a second.
 */
export function Countdown({ dueAt, now, breached = false }: { dueAt: number; now: number; breached?: boolean }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  const ms = breached && dueAt - now < 1_000 ? Math.min(0, dueAt - now) : dueAt - now;
  const time = clockText(ms, format, (days, hms) => t('countdown.days', { days, time: hms }));
  return (
    <time className={`board-countdown${ms <= 0 ? ' board-countdown--overdue' : ''}`} dateTime={new Date(dueAt).toISOString()} title={format.dateTime(new Date(dueAt))}>
      <bdi>{ms <= 0 ? t('countdown.overdue', { time }) : t('countdown.left', { time })}</bdi>
    </time>
  );
}

const Row = memo(function Row({ ticket, assignee, wall }: { ticket: Ticket; assignee: string | null; wall: boolean }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  const navigate = useNavigate();
  const now = useNow();
  const clock = nextClock(ticket);
  const state = displayState(ticket, now);
  const href = ticketPath(ticket.id);
  return (
    <tr
      className={`board-row board-row--${state}`}
      data-ticket-id={ticket.id}
      onClick={(event) => {
        // The subject is the link (keyboard and middle-click); the rest of the row opens it too.
        if ((event.target as HTMLElement).closest('a, button')) return;
        navigate(href);
      }}
    >
      <td className="board-num">
        <bdi>{t('ticketNumber', { number: ticketNumber(ticket.number, format) })}</bdi>
      </td>
      <th scope="row" className="board-subject">
        <Link to={href} dir="auto">
          {ticket.subject || t('noSubject')}
        </Link>
      </th>
      <td dir="auto">{ticket.customer?.name || t('unknownCustomer')}</td>
      {!wall && <td>{t(`channel.${ticket.channel?.type}`, { defaultValue: ticket.channel?.name ?? '' })}</td>}
      <td dir="auto">{assignee ?? t('unassigned')}</td>
      <td>{clock ? t(`metric.${clock.metric}`) : '—'}</td>
      <td>
        <span className={`board-state board-state--${state}`}>{t(`state.${state}`)}</span>
      </td>
      <td className="board-due">{clock ? <Countdown dueAt={clock.dueAt} now={now} breached={state === 'breached'} /> : t('noRunningClock')}</td>
    </tr>
  );
});

/** The open tickets, nearest due instant first, each with its running clock and a live countdown. */
export function BoardTickets({ tickets, agentNames, wall }: { tickets: Ticket[]; agentNames: Map<string, string>; wall: boolean }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  if (!tickets.length) return <p className="board-empty">{t('tickets.empty')}</p>;
  // A wall screen cannot scroll: the nearest ones only (the counts above cover the rest).
  const shown = wall ? tickets.slice(0, WALL_ROWS) : tickets;
  return (
    <div className="board-table-wrap">
      <table className="board-table board-tickets">
        <caption className="board-visually-hidden">{t('tickets.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tickets.number')}</th>
            <th scope="col">{t('tickets.subject')}</th>
            <th scope="col">{t('tickets.customer')}</th>
            {!wall && <th scope="col">{t('tickets.channel')}</th>}
            <th scope="col">{t('tickets.assignee')}</th>
            <th scope="col">{t('tickets.clock')}</th>
            <th scope="col">{t('tickets.state')}</th>
            <th scope="col">{t('tickets.due')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((ticket) => (
            <Row key={ticket.id} ticket={ticket} assignee={ticket.assigneeId ? (agentNames.get(ticket.assigneeId) ?? t('unknownAgent')) : null} wall={wall} />
          ))}
        </tbody>
      </table>
      {shown.length < tickets.length && <p className="board-more">{t('tickets.more', { n: format.number(tickets.length - shown.length) })}</p>}
    </div>
  );
}

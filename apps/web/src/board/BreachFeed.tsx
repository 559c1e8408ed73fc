import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useFormat } from '../format';
import { ticketNumber, ticketPath } from './labels';
import type { BreachEntry } from './sla';

/** Entries a wall screen shows (it cannot scroll). */
const WALL_ENTRIES = 8;

/**
 * Breaches, newest first: the live ones as they are pushed (`sla.breached`), after those that were
 * already breached when the board loaded. A polite live region: new entries are read out.
 */
export function BreachFeed({ feed, headingId, wall }: { feed: BreachEntry[]; headingId: string; wall: boolean }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  const shown = wall ? feed.slice(0, WALL_ENTRIES) : feed;
  return (
    <>
      {!feed.length && <p className="board-empty">{t('feed.empty')}</p>}
      <ol className="board-feed" aria-live="polite" aria-relevant="additions" aria-labelledby={headingId}>
        {shown.map((entry) => (
          <li key={entry.key} className={`board-feed__item${entry.live ? ' board-feed__item--live' : ''}`} data-ticket-id={entry.ticket.id} data-live={entry.live || undefined}>
            <time className="board-feed__time" dateTime={new Date(entry.at).toISOString()} title={format.dateTime(new Date(entry.at))}>
              {format.time(new Date(entry.at))}
            </time>
            <span className="board-feed__what">
              <Link to={ticketPath(entry.ticket.id)}>
                <bdi>{t('ticketNumber', { number: ticketNumber(entry.ticket.number, format) })}</bdi>{' '}
                <bdi dir="auto">{entry.ticket.subject || t('noSubject')}</bdi>
              </Link>
              <span className="board-feed__metric">{t('feed.breached', { metric: t(`metric.${entry.metric}`) })}</span>
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

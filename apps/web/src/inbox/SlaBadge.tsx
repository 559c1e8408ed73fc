import { useTranslation } from 'react-i18next';
import type { Ticket } from '../api/types';
import { useFormat, useNow } from '../format';
import { badgeState } from './sla';

/** On track / at risk / breached, with a live countdown to (or time since) the next SLA instant. */
export function SlaBadge({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation('inbox');
  const format = useFormat();
  const now = useNow();
  const badge = badgeState(ticket, now);
  if (!badge) return null;
  const label = t(`sla.${badge.state}`);
  let detail = '';
  if (badge.state !== 'paused' && badge.due) {
    const time = format.duration(badge.remainingMs);
    detail = badge.remainingMs > 0 ? t('sla.dueIn', { time }) : t('sla.overdue', { time });
  }
  const metric = badge.due ? t(`sla.metric.${badge.due.metric}`) : '';
  return (
    <span className={`sla-badge sla-${badge.state}`} data-sla={badge.state} title={badge.due ? `${metric}: ${format.dateTime(badge.due.dueAt)}` : undefined}>
      <span className="sla-label">{label}</span>
      {detail && <span className="sla-time"> · {detail}</span>}
    </span>
  );
}

import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message, Ticket } from '../api/types';
import { agentName } from '../data/directory';
import { useFormat } from '../format';
import { Attachments } from './Attachments';
import { EmailFrame } from './EmailFrame';
import { normalizeCid, referencedContentIds } from './email-html';

/** One entry of the thread: customer message, agent reply (with its delivery), internal note or event. */
export const MessageItem = memo(function MessageItem({ message, ticket }: { message: Message; ticket: Ticket }) {
  const { t } = useTranslation('conversation');
  const format = useFormat();
  const kind = message.kind === 'note' ? 'note' : message.kind === 'event' ? 'event' : message.direction;
  const author =
    message.authorType === 'customer'
      ? ticket.customer.name || t('customer')
      : message.authorType === 'agent'
        ? agentName(message.authorId) || t('agent')
        : t('system');
  const inlineIds = useMemo(() => (message.html ? referencedContentIds(message.html) : new Set<string>()), [message.html]);
  const listed = message.attachments.filter((a) => !(a.contentId && inlineIds.has(normalizeCid(a.contentId))));

  if (kind === 'event') {
    return (
      <li className="message message-event" data-kind="event">
        <span dir="auto">{message.text}</span> <time dateTime={message.createdAt}>{format.dateTime(message.createdAt)}</time>
      </li>
    );
  }
  const label = kind === 'note' ? t('kind.note') : kind === 'inbound' ? t('kind.inbound') : t('kind.outbound');
  return (
    <li className={`message message-${kind}`} data-kind={kind} data-message-id={message.id}>
      <article aria-label={`${label}: ${author}`}>
        <header className="message-header">
          <span className="message-kind">{label}</span>
          <span className="message-author" dir="auto">
            {author}
          </span>
          <time dateTime={message.createdAt} title={format.dateTime(message.createdAt)}>
            {format.dateTime(message.createdAt)}
          </time>
          {message.editedAt && <span className="muted">({t('edited')})</span>}
        </header>
        {message.html ? (
          <EmailFrame html={message.html} attachments={message.attachments} title={t('emailFrameTitle', { author })} />
        ) : (
          message.text && (
            <div className="message-text" dir="auto">
              {message.text}
            </div>
          )
        )}
        <Attachments attachments={listed} />
        {kind === 'outbound' && <DeliveryStatus message={message} />}
      </article>
    </li>
  );
});

function DeliveryStatus({ message }: { message: Message }) {
  const { t } = useTranslation('conversation');
  const status = message.deliveryStatus;
  return (
    <p className={`delivery delivery-${status}`} data-delivery={status}>
      <span className="delivery-icon" aria-hidden="true">
        {status === 'failed' ? '!' : status === 'read' ? '✓✓' : status === 'delivered' ? '✓✓' : status === 'sent' ? '✓' : '…'}
      </span>{' '}
      <span className="delivery-label">{t(`delivery.${status}`)}</span>
      {message.error && (
        <span className="delivery-error" dir="auto">
          {' '}
          — {status === 'failed' ? message.error : t('delivery.retrying', { error: message.error })}
        </span>
      )}
    </p>
  );
}

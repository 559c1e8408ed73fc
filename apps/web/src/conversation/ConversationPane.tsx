import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';
import { CustomerSidebar } from '../customer/CustomerSidebar';
import { useFormat } from '../format';
import { SlaBadge } from '../inbox/SlaBadge';
import { ChannelIcon } from '../ui/ChannelIcon';
import { Composer } from './Composer';
import { MessageItem } from './MessageItem';
import { TicketControls } from './TicketControls';
import { type Collisions, useCollisions, useConversation } from './use-conversation';

/** The open ticket: header and controls, who else is here, the thread, the composer, the customer. */
export function ConversationPane({
  ticketId,
  onRead,
  onLeft,
  closeHref,
}: {
  ticketId: string;
  onRead(ticketId: string, readAt: string): void;
  /** The agent moved the ticket where they cannot see it. */
  onLeft(ticketId: string): void;
  closeHref: string;
}) {
  const { t } = useTranslation('conversation');
  const format = useFormat();
  const conversation = useConversation(ticketId, onRead);
  const collisions = useCollisions(ticketId);
  const { ticket, messages } = conversation;
  const threadRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // Stay at the newest message unless the agent scrolled up to read.
  useLayoutEffect(() => {
    const el = threadRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages, ticket?.id]);
  useEffect(() => {
    const el = threadRef.current;
    if (!el) return;
    const onScroll = () => (stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ticket?.id]);

  if (conversation.notFound) {
    return (
      <section className="conversation-pane conversation-empty" aria-label={t('notFound')}>
        <p role="alert">{t('notFound')}</p>
        <Link to={closeHref}>{t('backToList')}</Link>
      </section>
    );
  }
  if (!ticket) {
    return (
      <section className="conversation-pane conversation-empty" aria-busy="true" aria-label={t('loading')}>
        <p className="muted">{t('loading')}</p>
      </section>
    );
  }
  return (
    <>
      <section className="conversation-pane" aria-labelledby="conversation-title">
        <header className="conversation-header">
          <div className="conversation-title-row">
            <Link to={closeHref} className="button button-quiet back-link" aria-label={t('backToList')}>
              <span aria-hidden="true" className="flip-rtl">
                ←
              </span>
            </Link>
            <ChannelIcon type={ticket.channel.type} />
            <h2 id="conversation-title" dir="auto">
              {ticket.subject || ticket.customer.name || t('noSubject')}
            </h2>
            <span className="ticket-number">#{format.plain(ticket.number)}</span>
            <SlaBadge ticket={ticket} />
          </div>
          <p className="conversation-meta">
            <span dir="auto">{ticket.channel.name}</span> · {t('opened')}{' '}
            <time dateTime={ticket.createdAt} data-testid="ticket-created">
              {format.dateTime(ticket.createdAt)}
            </time>
          </p>
          <TicketControls ticket={ticket} onChange={conversation.setTicket} onLeft={() => onLeft(ticket.id)} />
        </header>
        <CollisionBar collisions={collisions} />
        <div className="thread-scroll" ref={threadRef}>
          <ol className="thread" aria-label={t('thread')} aria-live="polite" aria-relevant="additions">
            {messages.map((m) => (
              <MessageItem key={m.id} message={m} ticket={ticket} />
            ))}
          </ol>
        </div>
        <Composer
          ticket={ticket}
          onSent={(m) => {
            stick.current = true;
            conversation.addMessage(m);
          }}
          onTyping={collisions.setTyping}
        />
      </section>
      <CustomerSidebar customerId={ticket.customer.id} currentTicketId={ticket.id} />
    </>
  );
}

function CollisionBar({ collisions }: { collisions: Collisions }) {
  const { t } = useTranslation('conversation');
  const { agent } = useSession();
  const others = collisions.viewers.filter((v) => v.agentId !== agent.id);
  const typing = collisions.typing.filter((x) => x.agentId !== agent.id);
  if (!others.length && !typing.length) return <div className="collision-bar" role="status" aria-live="polite" />;
  return (
    <div className="collision-bar active" role="status" aria-live="polite">
      {others.length > 0 && (
        <span>
          {t('collisions.viewing', {
            names: others.map((v) => (v.replying ? t('collisions.replyingName', { name: v.name }) : v.name)).join('، '),
            count: others.length,
          })}
        </span>
      )}
      {typing.length > 0 && <span className="typing-indicator"> {t('collisions.typing', { names: typing.map((x) => x.name ?? t('customer')).join('، '), count: typing.length })}</span>}
    </div>
  );
}

import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { Customer, Page, Ticket } from '../api/types';
import { useFormat } from '../format';
import { useSocketEvent } from '../realtime/socket';
import { ChannelIcon } from '../ui/ChannelIcon';
import { describeError, notify, reportError } from '../ui/toasts';
import { CustomerMerge } from './CustomerMerge';

/** The customer: profile, identities on every channel, past tickets on every channel, an editor, and merging. */
export function CustomerSidebar({ customerId, currentTicketId }: { customerId: string; currentTicketId: string }) {
  const { t } = useTranslation('customer');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [mode, setMode] = useState<'view' | 'edit' | 'merge'>('view');

  const load = useCallback(async () => {
    try {
      const [c, history] = await Promise.all([
        api<Customer>(`/api/customers/${customerId}`),
        api<Page<Ticket>>(`/api/customers/${customerId}/tickets?limit=50`),
      ]);
      setCustomer(c);
      setTickets(history.items);
    } catch (error) {
      reportError(error, t('loadFailed'));
    }
  }, [customerId, t]);

  useEffect(() => {
    setCustomer(null);
    setMode('view');
    void load();
  }, [load]);
  useSocketEvent<Ticket>('ticket.created', (ticket) => {
    if (ticket.customer.id === customerId) void load();
  });
  useSocketEvent('resync', () => void load());

  if (!customer) {
    return (
      <aside className="customer-pane" aria-label={t('title')} aria-busy="true">
        <p className="muted">{t('loading')}</p>
      </aside>
    );
  }
  return (
    <aside className="customer-pane" aria-labelledby="customer-title">
      <h2 id="customer-title" dir="auto">
        {customer.name || t('unnamed')}
      </h2>
      {mode === 'edit' ? (
        <CustomerEditor
          customer={customer}
          onCancel={() => setMode('view')}
          onSaved={(c) => {
            setCustomer(c);
            setMode('view');
            notify(t('saved'));
          }}
        />
      ) : (
        <>
          <dl className="profile">
            <dt>{t('email')}</dt>
            <dd dir="ltr">{customer.email || '—'}</dd>
            <dt>{t('phone')}</dt>
            <dd dir="ltr">{customer.phone || '—'}</dd>
            <dt>{t('tier')}</dt>
            <dd dir="auto">{customer.tier || '—'}</dd>
            <dt>{t('since')}</dt>
            <dd>{format.date(customer.createdAt)}</dd>
            {Object.entries(customer.attributes ?? {}).map(([key, value]) => (
              <div key={key} className="profile-attribute">
                <dt dir="auto">{key}</dt>
                <dd dir="auto">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
          {mode === 'merge' ? (
            <CustomerMerge
              customer={customer}
              onCancel={() => setMode('view')}
              onMerged={() => {
                setMode('view');
                // Read again rather than trust the answer alone: the history gains the other's tickets too.
                void load();
              }}
            />
          ) : (
            <div className="customer-actions">
              <button type="button" className="button" onClick={() => setMode('edit')}>
                {t('edit')}
              </button>
              <button type="button" className="button" onClick={() => setMode('merge')}>
                {t('merge.open')}
              </button>
            </div>
          )}
        </>
      )}
      <h3>{t('identities')}</h3>
      <ul className="identities">
        {customer.identities.map((identity) => (
          <li key={`${identity.channelType}:${identity.externalId}`}>
            <ChannelIcon type={identity.channelType} />{' '}
            {identity.channelType === 'webchat' ? (
              // A visitor id is a UUID nobody reads; its start tells two visitors apart.
              <span title={identity.externalId}>{t('webchatVisitor', { id: identity.externalId.slice(0, 8) })}</span>
            ) : (
              <span dir="ltr">{identity.externalId}</span>
            )}
          </li>
        ))}
      </ul>
      <h3>{t('history', { n: format.number(customer.ticketCount) })}</h3>
      <ul className="history">
        {tickets.map((ticket) => (
          <li key={ticket.id} className={ticket.id === currentTicketId ? 'current' : undefined}>
            <Link to={`/inbox/all/${ticket.id}?status=any`} aria-current={ticket.id === currentTicketId ? 'page' : undefined}>
              <ChannelIcon type={ticket.channel.type} />
              <span className="history-main">
                <span dir="auto">{ticket.subject || ticket.preview || t('noSubject')}</span>
                <span className="muted">
                  #{format.plain(ticket.number)} · {tc(`status.${ticket.status}`)} · <time dateTime={ticket.createdAt}>{format.date(ticket.createdAt)}</time>
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function CustomerEditor({ customer, onCancel, onSaved }: { customer: Customer; onCancel(): void; onSaved(c: Customer): void }) {
  const { t } = useTranslation('customer');
  const [form, setForm] = useState({ name: customer.name ?? '', email: customer.email ?? '', phone: customer.phone ?? '', tier: customer.tier ?? '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, string | null> = {};
    for (const key of ['name', 'email', 'phone', 'tier'] as const) {
      const value = form[key].trim();
      if (value !== (customer[key] ?? '')) body[key] = value || null;
    }
    try {
      onSaved(Object.keys(body).length ? await api<Customer>(`/api/customers/${customer.id}`, { method: 'PATCH', body }) : customer);
    } catch (e) {
      setError(e instanceof ApiError ? describeError(e) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof typeof form, type: string, dir: 'ltr' | 'auto') => (
    <div className="field">
      <label htmlFor={`customer-${key}`}>{t(key)}</label>
      <input id={`customer-${key}`} type={type} dir={dir} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </div>
  );
  return (
    <form className="customer-editor" onSubmit={submit} aria-label={t('edit')}>
      {field('name', 'text', 'auto')}
      {field('email', 'email', 'ltr')}
      {field('phone', 'tel', 'ltr')}
      {field('tier', 'text', 'auto')}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('save')}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

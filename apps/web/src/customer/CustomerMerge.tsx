import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import type { Customer, Page } from '../api/types';
import { notify, reportError } from '../ui/toasts';

const RESULTS = 10;

// Names go inside sentences of either direction: isolated, a Latin name keeps its place in Persian.
const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * Folds another customer into this one (POST /api/customers/:id/merge): find them, confirm in plain
 * words, merge. Their identities and tickets move here; the server keeps no way back.
 */
export function CustomerMerge({ customer, onMerged, onCancel }: { customer: Customer; onMerged(): void; onCancel(): void }) {
  const { t } = useTranslation('customer');
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Customer[] | null>(null);
  const [source, setSource] = useState<Customer | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const nameOf = (c: Customer) => isolate(c.name || c.email || c.phone || t('unnamed'));

  // Typing settles for a moment before the search is sent; a newer search cancels an older one.
  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<Page<Customer>>(`/api/customers${query({ q: text, limit: RESULTS })}`, { signal: controller.signal })
        .then((page) => setResults(page.items.filter((c) => c.id !== customer.id)))
        .catch((error) => reportError(error, t('merge.searchFailed')));
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, customer.id, t]);

  // The clicked result is gone once the question shows: focus follows, to the question and back.
  useEffect(() => {
    if (source) confirmRef.current?.focus();
    else searchRef.current?.focus();
  }, [source]);

  const merge = async (from: Customer) => {
    setBusy(true);
    try {
      await api<Customer>(`/api/customers/${customer.id}/merge`, { method: 'POST', body: { sourceCustomerId: from.id } });
      notify(t('merge.done', { source: nameOf(from), target: nameOf(customer) }));
      onMerged();
    } catch (error) {
      reportError(error, t('merge.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="merge-panel" aria-labelledby="merge-title">
      <h3 id="merge-title">{t('merge.title')}</h3>
      {source ? (
        <>
          <p ref={confirmRef} tabIndex={-1}>
            {t('merge.confirm', { source: nameOf(source), target: nameOf(customer) })}
          </p>
          <div className="form-actions">
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void merge(source)}>
              {t('merge.confirmButton')}
            </button>
            <button type="button" className="button button-quiet" disabled={busy} onClick={() => setSource(null)}>
              {t('merge.back')}
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor="merge-search">{t('merge.search')}</label>
            <input id="merge-search" ref={searchRef} type="search" dir="auto" value={q} placeholder={t('merge.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
          </div>
          {results &&
            (results.length ? (
              <ul className="merge-results" aria-label={t('merge.results')}>
                {results.map((c) => (
                  <li key={c.id}>
                    <button type="button" className="merge-result" onClick={() => setSource(c)}>
                      <span dir="auto">{c.name || t('unnamed')}</span>
                      <span className="muted" dir="ltr">
                        {c.email || '—'}
                      </span>
                      <span className="muted" dir="ltr">
                        {c.phone || '—'}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted" role="status">
                {t('merge.noResults')}
              </p>
            ))}
          <button type="button" className="button button-quiet" onClick={onCancel}>
            {t('cancel')}
          </button>
        </>
      )}
    </section>
  );
}

import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../api/types';
import { useFormat } from '../format';
import { fromLocalInput, SNOOZE_PRESETS, snoozeTime, toLocalInput } from './snooze';

interface Props {
  ticket: Ticket;
  busy: boolean;
  onPatch(body: Record<string, unknown>, done?: string): Promise<unknown>;
}

/** Snooze until a preset or a chosen time (the server opens the ticket again then), or end the snooze now. */
export function SnoozeControl({ ticket, busy, onPatch }: Props) {
  const { t } = useTranslation('conversation');
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const summaryRef = useRef<HTMLElement>(null);

  const close = () => {
    setOpen(false);
    summaryRef.current?.focus();
  };
  const snooze = (until: Date) => {
    close();
    void onPatch({ status: 'snoozed', snoozedUntil: until.toISOString() }, t('snooze.done', { time: format.dateTime(until) }));
  };

  return (
    <div className="snooze">
      {ticket.status === 'snoozed' && ticket.snoozedUntil && (
        <>
          <span className="snoozed-until" data-testid="snoozed-until">
            {t('snooze.until')} <time dateTime={ticket.snoozedUntil}>{format.dateTime(ticket.snoozedUntil)}</time>
          </span>
          <button type="button" className="button" disabled={busy} onClick={() => void onPatch({ status: 'open' }, t('snooze.ended'))}>
            {t('snooze.unsnooze')}
          </button>
        </>
      )}
      {/* A disclosure: Enter or Space on its summary opens it; Escape closes it, focus back on the summary. */}
      <details
        className="snooze-menu"
        open={open}
        onToggle={(e) => setOpen(e.currentTarget.open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) close();
        }}
      >
        <summary className="button" ref={summaryRef}>
          {t('snooze.button')}
        </summary>
        {/* Rendered only while open, so the times shown are those of the moment the menu opened. */}
        {open && <SnoozeMenu busy={busy} onSnooze={snooze} />}
      </details>
    </div>
  );
}

function SnoozeMenu({ busy, onSnooze }: { busy: boolean; onSnooze(until: Date): void }) {
  const { t } = useTranslation('conversation');
  const format = useFormat();
  const [openedAt] = useState(() => new Date());
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);

  // The server takes any time (one in the past would wake the ticket at once): refuse it here.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const until = fromLocalInput(custom);
    if (!until) return setError(t('snooze.invalid'));
    if (until.getTime() <= Date.now()) return setError(t('snooze.past'));
    onSnooze(until);
  };

  return (
    <div className="menu-panel snooze-panel" role="group" aria-label={t('snooze.menu')}>
      <ul className="snooze-presets">
        {SNOOZE_PRESETS.map((preset) => {
          const at = snoozeTime(preset, openedAt);
          return (
            <li key={preset}>
              {/* The time is taken again on click: the menu may have stayed open a while. */}
              <button type="button" className="button button-quiet" disabled={busy} onClick={() => onSnooze(snoozeTime(preset, new Date()))}>
                <span>{t(`snooze.presets.${preset}`, { time: format.time(at) })}</span>{' '}
                <span className="muted">{format.dateTime(at)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {/* noValidate: the browser's own bubble for `min` would hide the message below. */}
      <form noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor="snooze-custom">{t('snooze.custom')}</label>
          <input
            id="snooze-custom"
            type="datetime-local"
            value={custom}
            min={toLocalInput(openedAt)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'snooze-error' : undefined}
            onChange={(e) => {
              setCustom(e.target.value);
              setError(null);
            }}
          />
        </div>
        {error && (
          <p id="snooze-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || !custom}>
          {t('snooze.submit')}
        </button>
      </form>
    </div>
  );
}

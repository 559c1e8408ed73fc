import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Attachment, Message, Ticket } from '../api/types';
import { useSession } from '../auth/session';
import { fillSavedReply, matchSavedReplies, SavedReply, shortcutAtCaret, useSavedReplies } from '../data/saved-replies';
import { useCommand } from '../keyboard/shortcuts';
import { reportError } from '../ui/toasts';

type Mode = 'reply' | 'note';

/** Reply to the customer (on their channel) or write an internal note; r / n switch and focus. */
export function Composer({ ticket, onSent, onTyping }: { ticket: Ticket; onSent(message: Message): void; onTyping(typing: boolean): void }) {
  const { t } = useTranslation('conversation');
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const { agent } = useSession();
  const savedReplies = useSavedReplies();
  const pickerId = useId();
  // The "/shortcut" being typed, and which of its matches is highlighted.
  const [picking, setPicking] = useState<{ start: number; typed: string } | null>(null);
  const [active, setActive] = useState(0);
  // Escape closes the list for this "/shortcut"; typing on opens it again.
  const dismissed = useRef<string | null>(null);
  const matches = picking ? matchSavedReplies(savedReplies, picking.typed) : [];
  const pickerOpen = matches.length > 0;

  const watchCaret = (value: string, caret: number) => {
    let found = shortcutAtCaret(value, caret);
    if (found && dismissed.current === `${found.start}:${found.typed}`) found = null;
    setPicking(found);
    if (found?.typed !== picking?.typed) setActive(0);
  };

  const insert = (reply: SavedReply) => {
    const area = textarea.current;
    if (!picking || !area) return;
    const filled = fillSavedReply(reply.text, { customerName: ticket.customer.name, agentName: agent.name, ticketNumber: ticket.number });
    const caret = area.selectionStart;
    const next = text.slice(0, picking.start) + filled + text.slice(caret);
    setText(next);
    setPicking(null);
    if (mode === 'reply') onTyping(true);
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(picking.start + filled.length, picking.start + filled.length);
    });
  };

  const focus = (next: Mode) => {
    setMode(next);
    requestAnimationFrame(() => textarea.current?.focus());
  };
  useCommand('reply', () => focus('reply'));
  useCommand('note', () => focus('note'));

  const closed = ticket.status === 'closed';
  const windowClosed = mode === 'reply' && ticket.replyWindowEndsAt && new Date(ticket.replyWindowEndsAt).getTime() < Date.now();

  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    setUploading(true);
    try {
      for (const file of Array.from(list)) {
        const form = new FormData();
        form.append('file', file);
        const uploaded = await api<Attachment>('/api/attachments', { method: 'POST', body: form });
        setFiles((current) => [...current, uploaded]);
      }
    } catch (error) {
      reportError(error, t('composer.uploadFailed'));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if ((!body && !(mode === 'reply' && files.length)) || sending) return;
    setSending(true);
    try {
      const message =
        mode === 'note'
          ? await api<Message>(`/api/tickets/${ticket.id}/notes`, { method: 'POST', body: { text: body } })
          : await api<Message>(`/api/tickets/${ticket.id}/replies`, { method: 'POST', body: { text: body, ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}) } });
      onSent(message);
      setText('');
      setFiles([]);
      onTyping(false);
    } catch (error) {
      reportError(error, mode === 'note' ? t('composer.noteFailed') : t('composer.replyFailed'));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className={`composer composer-${mode}`} onSubmit={send} aria-label={t('composer.label')}>
      <div className="composer-modes" role="radiogroup" aria-label={t('composer.mode')}>
        {(['reply', 'note'] as const).map((m) => (
          <label key={m} className={`mode-option${mode === m ? ' active' : ''}`}>
            <input type="radio" name="composer-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {t(`composer.${m}`)} <kbd aria-hidden="true">{m === 'reply' ? 'r' : 'n'}</kbd>
          </label>
        ))}
      </div>
      {mode === 'note' && <p className="composer-hint">{t('composer.noteHint')}</p>}
      {closed && mode === 'reply' && <p className="composer-hint composer-warning">{t('composer.closed')}</p>}
      {windowClosed && <p className="composer-hint composer-warning">{t('composer.windowClosed')}</p>}
      <label htmlFor="composer-text" className="visually-hidden">
        {mode === 'note' ? t('composer.noteLabel') : t('composer.replyLabel')}
      </label>
      <textarea
        id="composer-text"
        ref={textarea}
        value={text}
        dir="auto"
        rows={3}
        placeholder={mode === 'note' ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: ticket.customer.name || t('customer') })}
        aria-describedby={`${pickerId}-hint`}
        aria-autocomplete="list"
        aria-expanded={pickerOpen}
        aria-controls={pickerOpen ? `${pickerId}-list` : undefined}
        aria-activedescendant={pickerOpen ? `${pickerId}-${matches[Math.min(active, matches.length - 1)].id}` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          watchCaret(e.target.value, e.target.selectionStart);
          if (mode === 'reply') onTyping(e.target.value.length > 0);
        }}
        onSelect={(e) => watchCaret(e.currentTarget.value, e.currentTarget.selectionStart)}
        onBlur={() => {
          onTyping(false);
          setPicking(null);
        }}
        onKeyDown={(e) => {
          if (pickerOpen) {
            const current = Math.min(active, matches.length - 1);
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((current + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
              return;
            }
            if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
              e.preventDefault();
              insert(matches[current]);
              return;
            }
            if (e.key === 'Escape') {
              e.preventDefault();
              dismissed.current = picking ? `${picking.start}:${picking.typed}` : null;
              setPicking(null);
              return;
            }
          }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
          if (e.key === 'Escape') textarea.current?.blur();
        }}
      />
      <p id={`${pickerId}-hint`} className="visually-hidden">
        {t('composer.savedRepliesHint')}
      </p>
      {pickerOpen && (
        <ul id={`${pickerId}-list`} className="saved-replies-picker" role="listbox" aria-label={t('composer.savedReplies')}>
          {matches.map((reply, i) => (
            <li
              key={reply.id}
              id={`${pickerId}-${reply.id}`}
              role="option"
              aria-selected={i === Math.min(active, matches.length - 1)}
              // mousedown, not click: the textarea keeps the focus and the caret.
              onMouseDown={(e) => {
                e.preventDefault();
                insert(reply);
              }}
            >
              <span className="saved-reply-shortcut" dir="auto">
                /{reply.shortcut}
              </span>{' '}
              <span className="saved-reply-title" dir="auto">
                {reply.title}
              </span>
              <span className="saved-reply-text muted" dir="auto">
                {reply.text}
              </span>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="composer-files">
          {files.map((f) => (
            <li key={f.id} className="chip">
              <span dir="auto">{f.filename}</span>
              <button type="button" className="icon-button" aria-label={t('composer.removeFile', { name: f.filename })} onClick={() => setFiles((c) => c.filter((x) => x.id !== f.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-actions">
        {mode === 'reply' && (
          <>
            <label className="button button-quiet file-button">
              {uploading ? t('composer.uploading') : t('composer.attach')}
              <input ref={fileInput} type="file" multiple className="visually-hidden" onChange={(e) => void upload(e.target.files)} disabled={uploading} />
            </label>
          </>
        )}
        <span className="spacer" />
        <button type="submit" className={`button ${mode === 'note' ? 'button-note' : 'button-primary'}`} disabled={sending || uploading}>
          {mode === 'note' ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
    </form>
  );
}

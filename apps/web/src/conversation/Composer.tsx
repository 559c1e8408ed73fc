import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Attachment, Message, Ticket } from '../api/types';
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
        onChange={(e) => {
          setText(e.target.value);
          if (mode === 'reply') onTyping(e.target.value.length > 0);
        }}
        onBlur={() => onTyping(false)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
          if (e.key === 'Escape') textarea.current?.blur();
        }}
      />
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

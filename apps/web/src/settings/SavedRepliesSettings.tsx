import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { loadSavedReplies, SavedReply } from '../data/saved-replies';
import { reportError } from '../ui/toasts';
import { useList } from './use-list';
import { FormError, useSubmit } from './use-submit';

/** Supervisors and admins keep the team's saved replies; agents insert them with /shortcut. */
export function SavedRepliesSettings() {
  const { t } = useTranslation('settings');
  const { items, reload } = useList<SavedReply>('/api/saved-replies');
  const [editing, setEditing] = useState<SavedReply | null>(null);
  const changed = () => {
    reload();
    void loadSavedReplies(true); // the composer's copy
  };
  const remove = (reply: SavedReply) => {
    if (!window.confirm(t('savedReplies.confirmDelete', { shortcut: reply.shortcut }))) return;
    api(`/api/saved-replies/${reply.id}`, { method: 'DELETE' }).then(changed, reportError);
  };

  return (
    <section aria-labelledby="saved-replies-heading">
      <h2 id="saved-replies-heading">{t('savedReplies.title')}</h2>
      <p className="muted">{t('savedReplies.intro')}</p>
      {items && !items.length && <p className="muted">{t('savedReplies.none')}</p>}
      {!!items?.length && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">{t('savedReplies.shortcut')}</th>
              <th scope="col">{t('savedReplies.reply')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('savedReplies.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((reply) => (
              <tr key={reply.id}>
                <th scope="row" dir="auto">
                  /{reply.shortcut}
                </th>
                <td>
                  <strong dir="auto">{reply.title}</strong>
                  <p className="saved-reply-preview" dir="auto">
                    {reply.text}
                  </p>
                </td>
                <td className="row-actions">
                  <button type="button" className="button button-small" onClick={() => setEditing(reply)}>
                    {t('savedReplies.edit', { shortcut: reply.shortcut })}
                  </button>
                  <button type="button" className="button button-small button-danger" onClick={() => remove(reply)}>
                    {t('savedReplies.delete', { shortcut: reply.shortcut })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SavedReplyForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onSaved={() => {
          setEditing(null);
          changed();
        }}
        onCancel={() => setEditing(null)}
      />
    </section>
  );
}

function SavedReplyForm({ editing, onSaved, onCancel }: { editing: SavedReply | null; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const [form, setForm] = useState({ shortcut: editing?.shortcut ?? '', title: editing?.title ?? '', text: editing?.text ?? '' });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const { submit, error } = useSubmit(async () => {
    const body = { ...form, shortcut: form.shortcut.trim().replace(/^\//, '') };
    if (editing) await api(`/api/saved-replies/${editing.id}`, { method: 'PATCH', body });
    else await api('/api/saved-replies', { body });
    onSaved();
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{editing ? t('savedReplies.editing', { shortcut: editing.shortcut }) : t('savedReplies.add')}</h3>
      <div className="field">
        <label htmlFor={`${id}-shortcut`}>{t('savedReplies.shortcut')}</label>
        <input id={`${id}-shortcut`} type="text" required maxLength={41} dir="auto" value={form.shortcut} onChange={set('shortcut')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('savedReplies.titleField')}</label>
        <input id={`${id}-title`} type="text" required maxLength={200} dir="auto" value={form.title} onChange={set('title')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>{t('savedReplies.reply')}</label>
        <textarea id={`${id}-text`} required rows={4} maxLength={10_000} dir="auto" value={form.text} onChange={set('text')} />
        <p className="muted field-hint">{t('savedReplies.placeholders', { customer: '{{customer.name}}', agent: '{{agent.name}}', ticket: '{{ticket.number}}' })}</p>
      </div>
      <FormError error={error} />
      <div className="form-actions">
        {editing && (
          <button type="button" className="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
        <button type="submit" className="button button-primary">
          {editing ? t('savedReplies.save') : t('savedReplies.create')}
        </button>
      </div>
    </form>
  );
}

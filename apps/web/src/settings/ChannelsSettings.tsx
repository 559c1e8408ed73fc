import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ChannelType } from '../api/types';
import { useFormat } from '../format';
import { CHANNEL_TYPES } from '../inbox/filters';
import { ChannelIcon } from '../ui/ChannelIcon';
import { CHANNEL_FORMS, FormValues, initialValues, toConfig, valuesFrom } from './channel-forms';
import { useList } from './use-list';
import { FormError, useSubmit } from './use-submit';

interface ChannelRow {
  id: string;
  type: ChannelType;
  name: string;
  active: boolean;
  config: Record<string, unknown>;
  assignment: Assignment;
  csat: boolean;
  awayReply: { calendarId: string; message: string | null } | null;
  webhookUrl?: string;
  health: { lastError: string | null; lastErrorAt: string | null; lastMessageAt: string | null; connection?: { state: string } };
}
interface Assignment {
  auto: boolean;
  teamId: string | null;
  maxOpenPerAgent: number | null;
}
interface Created extends ChannelRow {
  inboundToken?: string;
}

export function ChannelsSettings() {
  const { t } = useTranslation('settings');
  const format = useFormat();
  const { items, reload, patch } = useList<ChannelRow>('/api/channels');
  const [created, setCreated] = useState<Created | null>(null);
  const [editing, setEditing] = useState<ChannelRow | null>(null);

  const toggle = (channel: ChannelRow) => patch(channel, { active: !channel.active });

  return (
    <section aria-labelledby="channels-heading">
      <h2 id="channels-heading">{t('channels.title')}</h2>
      {items && !items.length && <p className="muted">{t('channels.none')}</p>}
      {!!items?.length && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">{t('channels.name')}</th>
              <th scope="col">{t('channels.type')}</th>
              <th scope="col">{t('channels.health')}</th>
              <th scope="col">{t('channels.active')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('channels.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((channel) => (
              <tr key={channel.id} data-channel-id={channel.id}>
                <th scope="row" dir="auto">
                  {channel.name}
                </th>
                <td>
                  <ChannelIcon type={channel.type} /> {t(`channels.types.${channel.type}`)}
                </td>
                <td>
                  {channel.health.lastError ? (
                    <span className="settings-error">{channel.health.lastError}</span>
                  ) : channel.health.lastMessageAt ? (
                    t('channels.lastMessage', { at: format.dateTime(channel.health.lastMessageAt) })
                  ) : (
                    <span className="muted">{t('channels.noMessages')}</span>
                  )}
                </td>
                <td>
                  <label className="switch">
                    <input type="checkbox" checked={channel.active} onChange={() => void toggle(channel)} />
                    <span className="visually-hidden">{t('channels.activeFor', { name: channel.name })}</span>
                  </label>
                </td>
                <td className="row-actions">
                  <button type="button" className="button button-small" onClick={() => setEditing(channel)}>
                    {t('channels.edit', { name: channel.name })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created ? (
        <CreatedChannel channel={created} onDone={() => setCreated(null)} />
      ) : (
        <ChannelForm
          key={editing?.id ?? 'new'}
          editing={editing}
          onSaved={(channel) => {
            if (editing) setEditing(null);
            else setCreated(channel);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

/** A new channel, or `editing` one: its type fixed, secrets empty (left empty, the stored ones stay). */
function ChannelForm({ editing, onSaved, onCancel }: { editing: ChannelRow | null; onSaved: (channel: Created) => void; onCancel: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const [type, setType] = useState<ChannelType>(editing?.type ?? 'webchat');
  const [name, setName] = useState(editing?.name ?? '');
  const [values, setValues] = useState<FormValues>(() => (editing ? valuesFrom(editing.type, editing.config) : initialValues('webchat')));
  const calendars = useList<{ id: string; name: string }>('/api/calendars');
  const teams = useList<{ id: string; name: string }>('/api/teams');
  const [assignment, setAssignment] = useState<Assignment>(editing?.assignment ?? { auto: false, teamId: null, maxOpenPerAgent: null });
  const [csat, setCsat] = useState(editing?.csat ?? false);
  const [away, setAway] = useState({ calendarId: editing?.awayReply?.calendarId ?? '', message: editing?.awayReply?.message ?? '' });
  const { submit, error, busy } = useSubmit(async () => {
    // A web chat says it in the widget (its own business hours field above).
    const awayReply = type === 'webchat' || !away.calendarId ? null : { calendarId: away.calendarId, message: away.message.trim() || null };
    const body = { name: name.trim(), config: toConfig(type, values), assignment, csat, awayReply };
    onSaved(
      editing
        ? await api<Created>(`/api/channels/${editing.id}`, { method: 'PATCH', body })
        : await api<Created>('/api/channels', { body: { type, ...body } }),
    );
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{editing ? t('channels.editing', { name: editing.name }) : t('channels.add')}</h3>
      <div className="field">
        <label htmlFor={`${id}-type`}>{t('channels.type')}</label>
        <select
          id={`${id}-type`}
          value={type}
          disabled={!!editing}
          onChange={(e) => {
            const next = e.target.value as ChannelType;
            setType(next);
            setValues(initialValues(next));
          }}
        >
          {CHANNEL_TYPES.map((c) => (
            <option key={c} value={c}>
              {t(`channels.types.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('channels.name')}</label>
        <input id={`${id}-name`} type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      {CHANNEL_FORMS[type].map((field) => {
        const fieldId = `${id}-${field.path}`;
        const label = (
          <label htmlFor={fieldId}>
            {t(`channels.fields.${field.path}`)}
            {editing && field.kind === 'secret' ? (
              <span className="muted"> {t('channels.keepSecret')}</span>
            ) : (
              !field.required && field.kind !== 'checkbox' && <span className="muted"> {t('optional')}</span>
            )}
          </label>
        );
        const set = (value: string | boolean) => setValues((v) => ({ ...v, [field.path]: value }));
        if (field.kind === 'checkbox') {
          return (
            <div className="field field-check" key={field.path}>
              <input id={fieldId} type="checkbox" checked={values[field.path] === true} onChange={(e) => set(e.target.checked)} />
              {label}
            </div>
          );
        }
        return (
          <div className="field" key={field.path}>
            {label}
            {field.kind === 'calendar' ? (
              <select id={fieldId} value={String(values[field.path])} onChange={(e) => set(e.target.value)}>
                <option value="">{t('channels.alwaysOpen')}</option>
                {(calendars.items ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            ) : field.kind === 'select' ? (
              <select id={fieldId} value={String(values[field.path])} onChange={(e) => set(e.target.value)}>
                {field.options!.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : field.kind === 'multiline' || field.kind === 'list' ? (
              <textarea id={fieldId} rows={field.kind === 'list' ? 2 : 3} dir="auto" value={String(values[field.path])} onChange={(e) => set(e.target.value)} />
            ) : (
              <input
                id={fieldId}
                type={field.kind === 'secret' ? 'password' : field.kind === 'number' ? 'number' : 'text'}
                autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
                required={field.required && !(editing && field.kind === 'secret')}
                dir={field.kind === 'text' ? 'auto' : 'ltr'}
                value={String(values[field.path])}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {field.kind === 'list' && <p className="muted field-hint">{t(`channels.hints.${field.path}`)}</p>}
          </div>
        );
      })}
      <fieldset className="field assignment">
        <legend>{t('channels.assignment.legend')}</legend>
        <div className="field">
          <label htmlFor={`${id}-team`}>{t('channels.assignment.team')}</label>
          <select id={`${id}-team`} value={assignment.teamId ?? ''} onChange={(e) => setAssignment((a) => ({ ...a, teamId: e.target.value || null }))}>
            <option value="">{t('channels.assignment.noTeam')}</option>
            {(teams.items ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-check">
          <input id={`${id}-auto`} type="checkbox" checked={assignment.auto} onChange={(e) => setAssignment((a) => ({ ...a, auto: e.target.checked }))} />
          <label htmlFor={`${id}-auto`}>{t('channels.assignment.auto')}</label>
        </div>
        {assignment.auto && (
          <div className="field">
            <label htmlFor={`${id}-max`}>
              {t('channels.assignment.maxOpen')} <span className="muted">{t('optional')}</span>
            </label>
            <input
              id={`${id}-max`}
              type="number"
              min={1}
              max={1000}
              dir="ltr"
              value={assignment.maxOpenPerAgent ?? ''}
              onChange={(e) => setAssignment((a) => ({ ...a, maxOpenPerAgent: e.target.value ? Number(e.target.value) : null }))}
            />
            <p className="muted field-hint">{t('channels.assignment.maxOpenHint')}</p>
          </div>
        )}
      </fieldset>
      {type !== 'webchat' && (
        <fieldset className="field assignment">
          <legend>{t('channels.away.legend')}</legend>
          <div className="field">
            <label htmlFor={`${id}-away-hours`}>{t('channels.fields.calendarId')}</label>
            <select id={`${id}-away-hours`} value={away.calendarId} onChange={(e) => setAway((a) => ({ ...a, calendarId: e.target.value }))}>
              <option value="">{t('channels.away.none')}</option>
              {(calendars.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          {away.calendarId && (
            <div className="field">
              <label htmlFor={`${id}-away-message`}>
                {t('channels.away.message')} <span className="muted">{t('optional')}</span>
              </label>
              <textarea id={`${id}-away-message`} rows={3} dir="auto" maxLength={2000} value={away.message} onChange={(e) => setAway((a) => ({ ...a, message: e.target.value }))} />
              <p className="muted field-hint">{t('channels.away.hint', { opensAt: '{{opensAt}}' })}</p>
            </div>
          )}
        </fieldset>
      )}
      <div className="field field-check">
        <input id={`${id}-csat`} type="checkbox" checked={csat} onChange={(e) => setCsat(e.target.checked)} />
        <label htmlFor={`${id}-csat`}>{t('channels.csat')}</label>
      </div>
      <FormError error={error} />
      <div className="form-actions">
        {editing && (
          <button type="button" className="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {editing ? t('channels.save') : t('channels.create')}
        </button>
      </div>
    </form>
  );
}

/** What an admin needs right after creating a channel, some of it shown only this once. */
function CreatedChannel({ channel, onDone }: { channel: Created; onDone: () => void }) {
  const { t } = useTranslation('settings');
  const snippet = `<script src="${window.location.origin}/widget.js" data-channel="${channel.id}" async></script>`;
  return (
    <div className="settings-created" role="status">
      <h3>{t('channels.created', { name: channel.name })}</h3>
      {channel.type === 'webchat' && (
        <>
          <p>{t('channels.embed')}</p>
          <pre className="snippet" dir="ltr">
            <code>{snippet}</code>
          </pre>
        </>
      )}
      {channel.inboundToken && (
        <>
          <p>{t('channels.tokenOnce')}</p>
          <pre className="snippet" dir="ltr">
            <code>{channel.inboundToken}</code>
          </pre>
        </>
      )}
      {channel.webhookUrl && channel.type !== 'webchat' && (
        <>
          <p>{t('channels.webhook')}</p>
          <pre className="snippet" dir="ltr">
            <code>{channel.webhookUrl}</code>
          </pre>
        </>
      )}
      <button type="button" className="button" onClick={onDone}>
        {t('done')}
      </button>
    </div>
  );
}

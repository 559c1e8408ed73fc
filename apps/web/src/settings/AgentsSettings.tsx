import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Agent, Role } from '../api/types';
import { useSession } from '../auth/session';
import { useList } from './use-list';
import { FormError, useSubmit } from './use-submit';

const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

export function AgentsSettings() {
  const { t } = useTranslation('settings');
  const { agent: me } = useSession();
  const { items, reload, patch } = useList<Agent>('/api/agents');

  return (
    <section aria-labelledby="agents-heading">
      <h2 id="agents-heading">{t('agents.title')}</h2>
      {!!items?.length && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">{t('agents.name')}</th>
              <th scope="col">{t('agents.email')}</th>
              <th scope="col">{t('agents.role')}</th>
              <th scope="col">{t('agents.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((agent) => (
              <tr key={agent.id} data-agent-id={agent.id} className={agent.active ? undefined : 'inactive'}>
                <th scope="row" dir="auto">
                  {agent.name}
                </th>
                <td dir="ltr">{agent.email}</td>
                <td>
                  <select
                    aria-label={t('agents.roleOf', { name: agent.name })}
                    value={agent.role}
                    disabled={agent.id === me.id}
                    onChange={(e) => void patch(agent, { role: e.target.value as Role })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`agents.roles.${role}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {agent.id === me.id ? (
                    <span className="muted">{t('agents.you')}</span>
                  ) : (
                    <button type="button" className={`button button-small${agent.active ? ' button-danger' : ''}`} onClick={() => void patch(agent, { active: !agent.active })}>
                      {agent.active ? t('agents.deactivate', { name: agent.name }) : t('agents.reactivate', { name: agent.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewAgentForm onCreated={reload} />
    </section>
  );
}

function NewAgentForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const empty = { name: '', email: '', password: '', role: 'agent' as Role };
  const [form, setForm] = useState(empty);
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const { submit, error, busy } = useSubmit(async () => {
    await api('/api/agents', { body: { ...form, name: form.name.trim(), email: form.email.trim() } });
    setForm(empty);
    onCreated();
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('agents.add')}</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('agents.name')}</label>
        <input id={`${id}-name`} type="text" required maxLength={200} dir="auto" value={form.name} onChange={set('name')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-email`}>{t('agents.email')}</label>
        <input id={`${id}-email`} type="email" required dir="ltr" autoComplete="off" value={form.email} onChange={set('email')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t('agents.password')}</label>
        <input id={`${id}-password`} type="password" required minLength={8} autoComplete="new-password" value={form.password} onChange={set('password')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('agents.role')}</label>
        <select id={`${id}-role`} value={form.role} onChange={set('role')}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`agents.roles.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('agents.create')}
        </button>
      </div>
    </form>
  );
}

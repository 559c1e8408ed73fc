import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Agent, Team } from '../api/types';
import { useList } from './use-list';
import { FormError, useSubmit } from './use-submit';

export function TeamsSettings() {
  const { t } = useTranslation('settings');
  const teams = useList<Team>('/api/teams');
  const agents = useList<Agent>('/api/agents');
  const active = (agents.items ?? []).filter((a) => a.active);

  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading">{t('teams.title')}</h2>
      {teams.items && !teams.items.length && <p className="muted">{t('teams.none')}</p>}
      {teams.items?.map((team) => (
        <fieldset key={team.id} className="team-card" data-team-id={team.id}>
          <legend dir="auto">{team.name}</legend>
          <label className="field-check">
            <input type="checkbox" checked={team.restricted} onChange={(e) => void teams.patch(team, { restricted: e.target.checked })} />
            {t('teams.restricted')}
          </label>
          <p className="muted field-hint">{t('teams.restrictedHint')}</p>
          <div className="team-members" role="group" aria-label={t('teams.membersOf', { name: team.name })}>
            {active.map((agent) => {
              const member = team.memberIds?.includes(agent.id) ?? false;
              return (
                <label key={agent.id} className="field-check">
                  <input
                    type="checkbox"
                    checked={member}
                    onChange={() => void teams.patch(team, { memberIds: member ? team.memberIds!.filter((id) => id !== agent.id) : [...(team.memberIds ?? []), agent.id] })}
                  />
                  <span dir="auto">{agent.name}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
      <NewTeamForm onCreated={teams.reload} />
    </section>
  );
}

function NewTeamForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const [name, setName] = useState('');
  const [restricted, setRestricted] = useState(false);
  const { submit, error } = useSubmit(async () => {
    await api('/api/teams', { body: { name: name.trim(), restricted } });
    setName('');
    setRestricted(false);
    onCreated();
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('teams.add')}</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('teams.name')}</label>
        <input id={`${id}-name`} type="text" required maxLength={200} dir="auto" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <label className="field-check">
        <input type="checkbox" checked={restricted} onChange={(e) => setRestricted(e.target.checked)} />
        {t('teams.restricted')}
      </label>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t('teams.create')}
        </button>
      </div>
    </form>
  );
}

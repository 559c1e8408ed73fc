import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Team } from '../api/types';
import { useCommand } from '../keyboard/shortcuts';
import { CHANNEL_TYPES, type InboxFilters, PRIORITIES, STATUS_FILTERS } from './filters';

interface Props {
  filters: InboxFilters;
  agents: Agent[];
  myTeams: Team[];
  onChange(patch: Partial<InboxFilters>): void;
}

/** Search and filters; every one is a server-side query parameter. */
export function FilterBar({ filters, agents, myTeams, onChange }: Props) {
  const { t } = useTranslation('inbox');
  const { t: tc } = useTranslation();
  const [q, setQ] = useState(filters.q);
  const [tag, setTag] = useState(filters.tag);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => setTag(filters.tag), [filters.tag]);
  useCommand('search', () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  });

  // Typing settles for a moment before the list is fetched again.
  useEffect(() => {
    if (q === filters.q && tag === filters.tag) return;
    const timer = setTimeout(() => onChange({ q: q.trim(), tag: tag.trim() }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, tag]);

  return (
    <div className="filter-bar">
      <form role="search" className="search" onSubmit={(e) => (e.preventDefault(), onChange({ q: q.trim() }))}>
        <label htmlFor="inbox-search" className="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id="inbox-search"
          ref={searchRef}
          type="search"
          value={q}
          placeholder={t('search.placeholder')}
          aria-keyshortcuts="/"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
      </form>
      <details className="filters" open={hasFilters(filters)}>
        <summary>{t('filters.title')}</summary>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor="filter-status">{t('filters.status')}</label>
            <select id="filter-status" value={filters.status} onChange={(e) => onChange({ status: e.target.value as InboxFilters['status'] })}>
              {STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {s === 'active' ? t('filters.active') : s === 'any' ? t('filters.any') : tc(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-channel">{t('filters.channel')}</label>
            <select id="filter-channel" value={filters.channelType} onChange={(e) => onChange({ channelType: e.target.value })}>
              <option value="">{t('filters.any')}</option>
              {CHANNEL_TYPES.map((c) => (
                <option key={c} value={c}>
                  {tc(`channels.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-priority">{t('filters.priority')}</label>
            <select id="filter-priority" value={filters.priority} onChange={(e) => onChange({ priority: e.target.value })}>
              <option value="">{t('filters.any')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {tc(`priority.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-tag">{t('filters.tag')}</label>
            <input id="filter-tag" type="text" value={tag} onChange={(e) => setTag(e.target.value)} dir="auto" />
          </div>
          {(filters.view === 'all' || filters.view === 'teams') && (
            <div className="field">
              <label htmlFor="filter-assignee">{t('filters.assignee')}</label>
              <select id="filter-assignee" value={filters.assignee} onChange={(e) => onChange({ assignee: e.target.value })}>
                <option value="">{t('filters.anyone')}</option>
                <option value="me">{t('filters.me')}</option>
                <option value="none">{t('filters.nobody')}</option>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          {filters.view === 'teams' && myTeams.length > 1 && (
            <div className="field">
              <label htmlFor="filter-team">{t('filters.team')}</label>
              <select id="filter-team" value={filters.team || myTeams[0].id} onChange={(e) => onChange({ team: e.target.value })}>
                {myTeams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {hasFilters(filters) && (
          <button type="button" className="button button-quiet" onClick={() => onChange({ status: 'active', channelType: '', priority: '', tag: '', assignee: '', q: '' })}>
            {t('filters.clear')}
          </button>
        )}
      </details>
    </div>
  );
}

function hasFilters(f: InboxFilters): boolean {
  return f.status !== 'active' || !!f.channelType || !!f.priority || !!f.tag || !!f.assignee;
}

import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Ticket } from '../api/types';
import { useSession } from '../auth/session';
import { ConversationPane } from '../conversation/ConversationPane';
import { useDirectory } from '../data/directory';
import { useCommand } from '../keyboard/shortcuts';
import { FilterBar } from './FilterBar';
import { type InboxFilters, isView, matcher, readFilters, toQuery, type View, VIEWS, writeFilters } from './filters';
import { TicketList } from './TicketList';
import { useTicketList } from './use-ticket-list';

/** The agent's screen: views and filters, the live list, and the open conversation beside it. */
export function InboxPage() {
  const { t } = useTranslation('inbox');
  const { view: viewParam, ticketId } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { agent } = useSession();
  const directory = useDirectory();
  const view: View = isView(viewParam) ? viewParam : 'mine';
  const filters = useMemo(() => readFilters(view, params), [view, params]);
  const search = writeFilters(filters).toString();
  const suffix = search ? `?${search}` : '';

  const myTeams = useMemo(() => {
    // The signed-in agent's teams, from the directory's agent list (it carries teamIds).
    const ids = directory.agents.find((a) => a.id === agent.id)?.teamIds ?? [];
    return directory.teams.filter((team) => ids.includes(team.id));
  }, [directory.agents, directory.teams, agent.id]);
  const teamId = view === 'teams' ? (myTeams.find((team) => team.id === filters.team) ?? myTeams[0])?.id ?? null : null;
  const query = useMemo(() => (view === 'teams' && !directory.loaded ? null : toQuery(filters, teamId)), [filters, teamId, view, directory.loaded]);
  const matches = useMemo(() => (query ? matcher(query, agent.id) : null), [query, agent.id]);
  const list = useTicketList(query, matches);

  const [cursorId, setCursorId] = useState<string | null>(null);
  const [focusToken, setFocusToken] = useState(0);
  const hrefFor = useCallback((ticket: Ticket) => `/inbox/${view}/${ticket.id}${suffix}`, [view, suffix]);

  const change = (patch: Partial<InboxFilters>) => {
    const next = writeFilters({ ...filters, ...patch }).toString();
    navigate(`/inbox/${view}${ticketId ? `/${ticketId}` : ''}${next ? `?${next}` : ''}`, { replace: true });
  };

  const move = (delta: number) => {
    if (!list.tickets.length) return;
    const from = list.tickets.findIndex((x) => x.id === (cursorId ?? ticketId));
    const index = from < 0 ? (delta > 0 ? 0 : list.tickets.length - 1) : Math.min(list.tickets.length - 1, Math.max(0, from + delta));
    setCursorId(list.tickets[index].id);
    setFocusToken((n) => n + 1);
    if (index >= list.tickets.length - 5) list.loadMore();
  };
  useCommand('next', () => move(1));
  useCommand('prev', () => move(-1));
  useCommand('open', () => {
    const target = list.tickets.find((x) => x.id === cursorId);
    if (target) navigate(hrefFor(target));
  });

  const noTeam = view === 'teams' && directory.loaded && myTeams.length === 0;
  return (
    <main id="main" className={`inbox${ticketId ? ' has-open' : ''}`}>
      <section className="list-pane" aria-labelledby="inbox-title">
        <h1 id="inbox-title" className="visually-hidden">
          {t('title')}
        </h1>
        <nav className="views" aria-label={t('views.label')}>
          {VIEWS.map((v) => (
            <Link key={v} to={`/inbox/${v}${suffix}`} className={`view-tab${v === view ? ' active' : ''}`} aria-current={v === view ? 'page' : undefined}>
              {t(`views.${v}`)}
            </Link>
          ))}
        </nav>
        <FilterBar filters={filters} agents={directory.agents} myTeams={myTeams} onChange={change} />
        {noTeam ? (
          <p className="empty">{t('noTeams')}</p>
        ) : (
          <TicketList
            tickets={list.tickets}
            hasMore={list.hasMore}
            loading={list.loading}
            openId={ticketId ?? null}
            cursorId={cursorId}
            hrefFor={hrefFor}
            onLoadMore={list.loadMore}
            focusToken={focusToken}
            label={t(`views.${view}`)}
          />
        )}
        {list.failed && (
          <button type="button" className="button" onClick={list.reload}>
            {t('retry')}
          </button>
        )}
      </section>
      {ticketId ? (
        <ConversationPane
          key={ticketId}
          ticketId={ticketId}
          onRead={list.setRead}
          onLeft={(id) => {
            list.remove(id);
            navigate(`/inbox/${view}${suffix}`);
          }}
          closeHref={`/inbox/${view}${suffix}`}
        />
      ) : (
        <section className="conversation-pane conversation-empty" aria-label={t('noneOpen')}>
          <p className="muted">{t('noneOpen')}</p>
          <p className="muted">{t('shortcutHint')}</p>
        </section>
      )}
    </main>
  );
}

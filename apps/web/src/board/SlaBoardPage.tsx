import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api/client';
import type { Priority, Team } from '../api/types';
import { useSession } from '../auth/session';
import { useFormat } from '../format';
import { useConnectionState } from '../realtime/socket';
import { AgentLoad } from './AgentLoad';
import { BoardSummary } from './BoardSummary';
import { BoardTickets } from './BoardTickets';
import { BreachFeed } from './BreachFeed';
import type { BoardFilter } from './sla';
import { useAgentLoad } from './useAgentLoad';
import { useBoard } from './useBoard';
import './board.css';

// chart.js is the board's biggest dependency: its own chunk, loaded after the board is on screen,
// and never in wall mode.
const ResponseTimes = lazy(() => import('./ResponseTimes'));

const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];

function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return String((error as Error)?.message ?? error);
}

/** Tracks `document.fullscreenElement`. */
function useFullscreen(): [boolean, (on: boolean) => Promise<void>] {
  const [active, setActive] = useState(() => typeof document !== 'undefined' && !!document.fullscreenElement);
  useEffect(() => {
    const onChange = () => setActive(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  const set = useCallback(async (on: boolean) => {
    try {
      if (on && !document.fullscreenElement) await document.documentElement.requestFullscreen?.({ navigationUI: 'hide' });
      else if (!on && document.fullscreenElement) await document.exitFullscreen();
    } catch {
      // refused (no user gesture, or not allowed in this frame): wall mode still fills the window
    }
  }, []);
  return [active, set];
}

/** Keeps a wall screen from sleeping while wall mode is on (where the Screen Wake Lock API exists). */
function useWakeLock(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || !('wakeLock' in navigator)) return;
    let lock: { release(): Promise<void> } | null = null;
    let cancelled = false;
    const acquire = () => {
      if (document.visibilityState !== 'visible') return;
      (navigator as Navigator & { wakeLock: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } }).wakeLock
        .request('screen')
        .then((l) => {
          if (cancelled) void l.release();
          else lock = l;
        })
        .catch(() => undefined);
    };
    acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      cancelled = true;
      document.removeEventListener('visibilitychange', acquire);
      void lock?.release().catch(() => undefined);
    };
  }, [enabled]);
}

/**
 * The supervisor SLA board (`/board`, wall mode `/board?wall=1`): the counts per SLA state, open
 * tickets by nearest due instant with live countdowns, a live breach feed, agent load and presence,
 * and response-time charts. Everything moves with the socket's pushes; nothing polls per second.
 */
export default function SlaBoardPage() {
  const { t } = useTranslation('board');
  const { agent } = useSession();
  if (agent.role !== 'supervisor' && agent.role !== 'admin') {
    return (
      <main id="main" className="board">
        <h1>{t('title')}</h1>
        <p className="board-empty">{t('forbidden')}</p>
      </main>
    );
  }
  return <Board />;
}

function Board() {
  const { t } = useTranslation('board');
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const wall = params.get('wall') === '1';
  const [filter, setFilter] = useState<BoardFilter>({ teamId: '', priority: '' });
  const [teams, setTeams] = useState<Team[]>([]);
  const [fullscreen, setFullscreen] = useFullscreen();
  const connection = useConnectionState();
  const board = useBoard(filter, wall);
  const load = useAgentLoad();
  const ids = { team: useId(), priority: useId(), tickets: useId(), feed: useId(), agents: useId(), reports: useId(), summary: useId() };
  useWakeLock(wall);

  useEffect(() => {
    api<{ items: Team[] }>('/api/teams')
      .then((r) => setTeams(r.items))
      .catch(() => setTeams([])); // the filter simply offers no teams
  }, []);

  const agentNames = useMemo(() => new Map(load.rows.filter((r) => r.id).map((r) => [r.id!, r.name ?? ''])), [load.rows]);

  const setWall = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set('wall', '1');
    else next.delete('wall');
    setParams(next);
    // Same click: browsers only grant full screen during a user gesture.
    void setFullscreen(on);
  };

  // Leaving wall mode (Back, or the link) leaves full screen too.
  useEffect(() => {
    if (!wall && document.fullscreenElement) void setFullscreen(false);
  }, [wall, setFullscreen]);

  const live = connection === 'connected';
  const status = (
    <p className={`board-status${live ? ' board-status--live' : ''}`}>
      <span className="board-status__dot" aria-hidden="true" />
      <span role="status">{live ? t('live') : t('reconnecting')}</span>
      {board.loadedAt !== null && <span className="board-status__updated">{t('updatedAt', { time: format.time(new Date(board.loadedAt)) })}</span>}
    </p>
  );

  return (
    <main id="main" className={`board${wall ? ' board--wall' : ''}`} aria-labelledby="board-title">
      <header className="board-header">
        <h1 id="board-title">{t('title')}</h1>
        {status}
        <div className="board-header__actions">
          {wall ? (
            <>
              <button type="button" className="board-button board-button--quiet" onClick={() => void setFullscreen(!fullscreen)}>
                {fullscreen ? t('exitFullscreen') : t('fullscreen')}
              </button>
              <button type="button" className="board-button board-button--quiet" onClick={() => setWall(false)}>
                {t('exitWall')}
              </button>
            </>
          ) : (
            <button type="button" className="board-button" onClick={() => setWall(true)}>
              {t('wallMode')}
            </button>
          )}
        </div>
      </header>

      {!wall && (
        <div className="board-controls board-filters">
          <label htmlFor={ids.team}>
            {t('filter.team')}
            <select id={ids.team} value={filter.teamId} onChange={(e) => setFilter((f) => ({ ...f, teamId: e.target.value }))}>
              <option value="">{t('filter.allTeams')}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={ids.priority}>
            {t('filter.priority')}
            <select id={ids.priority} value={filter.priority} onChange={(e) => setFilter((f) => ({ ...f, priority: e.target.value as BoardFilter['priority'] }))}>
              <option value="">{t('filter.allPriorities')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}

      {board.error !== null && (
        <p role="alert" className="board-error">
          {t('loadFailed', { message: errorText(board.error) })}{' '}
          <button type="button" className="board-button board-button--quiet" onClick={board.reload}>
            {t('retry')}
          </button>
        </p>
      )}

      <section className="board-section board-section--summary" aria-labelledby={ids.summary}>
        <h2 id={ids.summary} className="board-visually-hidden">
          {t('summary.heading')}
        </h2>
        <BoardSummary summary={board.summary} />
      </section>

      <div className="board-grid">
        <section className="board-section board-section--tickets" aria-labelledby={ids.tickets}>
          <h2 id={ids.tickets}>{t('tickets.heading')}</h2>
          {board.loading && !board.summary ? <p className="board-empty">{t('loading')}</p> : <BoardTickets tickets={board.tickets} agentNames={agentNames} wall={wall} />}
        </section>

        <div className="board-side">
          <section className="board-section board-section--feed" aria-labelledby={ids.feed}>
            <h2 id={ids.feed}>{t('feed.heading')}</h2>
            <BreachFeed feed={board.feed} headingId={ids.feed} wall={wall} />
          </section>

          <section className="board-section board-section--agents" aria-labelledby={ids.agents}>
            <h2 id={ids.agents}>{t('agents.heading')}</h2>
            {load.error !== null && (
              <p role="alert" className="board-error">
                {t('loadFailed', { message: errorText(load.error) })}
              </p>
            )}
            {load.loading && !load.rows.length ? <p className="board-empty">{t('loading')}</p> : <AgentLoad rows={load.rows} wall={wall} />}
          </section>
        </div>
      </div>

      {!wall && (
        <section className="board-section board-section--reports" aria-labelledby={ids.reports}>
          <h2 id={ids.reports}>{t('reports.heading')}</h2>
          <Suspense fallback={<p className="board-empty">{t('loading')}</p>}>
            <ResponseTimes />
          </Suspense>
        </section>
      )}
    </main>
  );
}

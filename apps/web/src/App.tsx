import { lazy, ReactNode, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation, useSearchParams } from 'react-router-dom';
import { getToken } from './api/client';
import { LoginPage } from './auth/LoginPage';
import { refreshSession, useSession, useSessionState } from './auth/session';
import { loadDirectory, resetDirectory, usePresenceUpdates } from './data/directory';
import { InboxPage } from './inbox/InboxPage';
import { HelpDialog } from './keyboard/HelpDialog';
import { installShortcuts, useCommand } from './keyboard/shortcuts';
import { loadPreferences } from './prefs/preferences';
import { PreferencesMenu } from './prefs/PreferencesMenu';
import { connectSocket, disconnectSocket, useSocketEvent } from './realtime/socket';
import { ConnectionBanner } from './ui/ConnectionBanner';
import { Toasts } from './ui/Toasts';
import { useAttention } from './notify/use-attention';
import { reportError } from './ui/toasts';

// The board (and its charts) is its own chunk: not part of the inbox's first load.
const SlaBoardPage = lazy(() => import('./board/SlaBoardPage'));
// Admins only, and rarely: its own chunk too.
const SettingsPage = lazy(() => import('./settings/SettingsPage'));

export function App() {
  const session = useSessionState();
  return (
    <BrowserRouter>
      <Toasts />
      {session.status === 'signed-in' ? <Shell /> : session.status === 'loading' ? <Loading /> : <LoginPage />}
    </BrowserRouter>
  );
}

/** A page in its own chunk, with the loading line while it arrives. */
function Lazy({ page }: { page: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <main id="main" className="center-page" aria-busy="true">
          <p>{t('loading')}</p>
        </main>
      }
    >
      {page}
    </Suspense>
  );
}

function Loading() {
  const { t } = useTranslation();
  useEffect(() => {
    refreshSession().catch(reportError);
  }, []);
  return (
    <main id="main" className="center-page" aria-busy="true">
      <p>{t('loading')}</p>
    </main>
  );
}

function Shell() {
  const { t } = useTranslation();
  const { agent, logout } = useSession();
  const [helpOpen, setHelpOpen] = useState(false);
  const location = useLocation();
  const [params] = useSearchParams();
  const wall = location.pathname.startsWith('/board') && params.get('wall') === '1';

  useEffect(() => {
    const token = getToken();
    if (token) connectSocket(token);
    loadPreferences().catch(reportError);
    refreshSession().catch(() => undefined); // role or name may have changed; failures show in the banner
    void loadDirectory(true);
    return () => {
      disconnectSocket();
      resetDirectory();
    };
  }, [agent.id]);
  useEffect(() => installShortcuts(), []);
  useCommand('help', () => setHelpOpen((open) => !open));
  usePresenceUpdates();
  useAttention(agent.id);
  // The socket refused the token (expired, revoked, agent deactivated): the REST check signs out.
  useSocketEvent<{ code?: string }>('connect_error', (error) => {
    if (error.code === 'INVALID_TOKEN' || error.code === 'MISSING_TOKEN') refreshSession(true).catch(() => undefined);
  });

  const supervisor = agent.role === 'supervisor' || agent.role === 'admin';
  return (
    <div className={`app${wall ? ' app-wall' : ''}`}>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      {!wall && (
        <header className="topbar">
          <span className="brand" aria-label="Pasokh">
            <span aria-hidden="true">پاسخ</span> <span className="brand-latin">Pasokh</span>
          </span>
          <nav aria-label={t('nav.label')} className="topnav">
            <NavLink to="/inbox">{t('nav.inbox')}</NavLink>
            {supervisor && <NavLink to="/board">{t('nav.board')}</NavLink>}
            {supervisor && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
          </nav>
          <div className="topbar-end">
            <PreferencesMenu />
            <button type="button" className="button button-quiet" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
              {t('keyboard.button')}
            </button>
            <span className="agent-name" title={agent.email}>
              {agent.name}
            </span>
            <button type="button" className="button button-quiet" onClick={logout}>
              {t('actions.logout')}
            </button>
          </div>
        </header>
      )}
      <ConnectionBanner />
      <Routes>
        <Route path="/" element={<Navigate to="/inbox/mine" replace />} />
        <Route path="/inbox" element={<Navigate to="/inbox/mine" replace />} />
        <Route path="/inbox/:view" element={<InboxPage />} />
        <Route path="/inbox/:view/:ticketId" element={<InboxPage />} />
        <Route path="/board" element={<Lazy page={<SlaBoardPage />} />} />
        <Route path="/settings" element={<Lazy page={<SettingsPage />} />} />
        <Route path="/settings/:section" element={<Lazy page={<SettingsPage />} />} />
        <Route path="/login" element={<Navigate to="/inbox/mine" replace />} />
        <Route path="*" element={<Navigate to="/inbox/mine" replace />} />
      </Routes>
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnectionState } from '../realtime/socket';

/** Says so when live updates stop, and briefly when they are back (and the screens caught up). */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  const [wasDown, setWasDown] = useState(false);
  const [showBack, setShowBack] = useState(false);
  const [graceOver, setGraceOver] = useState(false);

  // The first connection gets a moment before "connecting…" is worth saying.
  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), 2000);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    if (state !== 'connected') {
      if (graceOver) setWasDown(true);
      setShowBack(false);
      return;
    }
    if (wasDown) {
      setWasDown(false);
      setShowBack(true);
      const timer = setTimeout(() => setShowBack(false), 3000);
      return () => clearTimeout(timer);
    }
  }, [state, graceOver, wasDown]);

  const down = state !== 'connected' && graceOver;
  return (
    <div className="connection-region" role="status" aria-live="polite">
      {down && (
        <div className="banner banner-warning" data-testid="connection-banner">
          <strong>{t('connection.lost')}</strong> {state === 'connecting' ? t('connection.reconnecting') : t('connection.offline')}
        </div>
      )}
      {!down && showBack && <div className="banner banner-ok">{t('connection.back')}</div>}
    </div>
  );
}

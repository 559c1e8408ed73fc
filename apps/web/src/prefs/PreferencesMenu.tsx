import { useTranslation } from 'react-i18next';
import { reportError } from '../ui/toasts';
import { type Calendar, type Digits, type Language, savePreferences, setLocalLanguage, usePreferences } from './preferences';
import { getToken } from '../api/client';
import { turnDesktopOff, turnDesktopOn, useDesktopNotifications } from '../notify/attention';

/** Language, calendar and digits (the agent's own settings, stored on the server); desktop notifications (this browser's). */
export function PreferencesMenu() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  const save = (patch: Parameters<typeof savePreferences>[0]) => savePreferences(patch).catch((e) => reportError(e, t('prefs.saveFailed')));
  return (
    <details className="menu">
      <summary className="button button-quiet">{t('prefs.title')}</summary>
      <div className="menu-panel">
        <div className="field">
          <label htmlFor="pref-language">{t('prefs.language')}</label>
          <select id="pref-language" value={prefs.language} onChange={(e) => save({ language: e.target.value as Language })}>
            <option value="en">English</option>
            <option value="fa">فارسی</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="pref-calendar">{t('prefs.calendar')}</label>
          <select id="pref-calendar" value={prefs.calendar} onChange={(e) => save({ calendar: e.target.value as Calendar })}>
            <option value="gregorian">{t('prefs.gregorian')}</option>
            <option value="persian">{t('prefs.persian')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="pref-digits">{t('prefs.digits')}</label>
          <select id="pref-digits" value={prefs.digits} onChange={(e) => save({ digits: e.target.value as Digits })}>
            <option value="latn">{t('prefs.latn')}</option>
            <option value="arabext">{t('prefs.arabext')}</option>
          </select>
        </div>
        <DesktopNotifications />
      </div>
    </details>
  );
}

function DesktopNotifications() {
  const { t } = useTranslation();
  const state = useDesktopNotifications();
  if (state === 'unsupported') return null;
  return (
    <div className="field" role="group" aria-labelledby="pref-desktop">
      <span id="pref-desktop" className="field-label">
        {t('prefs.desktop')}
      </span>
      {state === 'blocked' ? (
        <p className="muted">{t('prefs.desktopBlocked')}</p>
      ) : state === 'on' ? (
        <>
          <p className="muted">{t('prefs.desktopIsOn')}</p>
          <button type="button" className="button button-small" onClick={turnDesktopOff}>
            {t('prefs.desktopOff')}
          </button>
        </>
      ) : (
        <button type="button" className="button button-small" onClick={() => void turnDesktopOn()}>
          {t('prefs.desktopOn')}
        </button>
      )}
    </div>
  );
}

/** On the login page: the language only (nothing is stored until the agent signs in). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  const other: Language = prefs.language === 'fa' ? 'en' : 'fa';
  return (
    <button
      type="button"
      className="button button-quiet"
      lang={other}
      onClick={() => {
        if (getToken()) void savePreferences({ language: other }).catch(reportError);
        else setLocalLanguage(other);
      }}
    >
      {t('prefs.switchTo')}
    </button>
  );
}


import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router-dom';
import { useSession } from '../auth/session';
import { AgentsSettings } from './AgentsSettings';
import { ChannelsSettings } from './ChannelsSettings';
import { SavedRepliesSettings } from './SavedRepliesSettings';
import { SlaSettings } from './SlaSettings';
import { TeamsSettings } from './TeamsSettings';
import en from './locales/en.json';
import fa from './locales/fa.json';
import './settings.css';

// Settings' strings come with its chunk: most agents never open it, so the first load does not carry them.
i18next.addResourceBundle('en', 'settings', en);
i18next.addResourceBundle('fa', 'settings', fa);

const SECTIONS = ['channels', 'agents', 'teams', 'sla', 'savedReplies'] as const;
type Section = (typeof SECTIONS)[number];
/** Supervisors keep the SLA policies, business hours and saved replies; the rest of the setup is the admins'. */
const SUPERVISOR_SECTIONS: readonly Section[] = ['sla', 'savedReplies'];

/** The inbox is set up here: channels, agents, teams, saved replies (the REST API behind it is docs/API.md's). */
export default function SettingsPage() {
  const { t } = useTranslation('settings');
  const { agent } = useSession();
  const allowed = agent.role === 'admin' ? SECTIONS : agent.role === 'supervisor' ? SUPERVISOR_SECTIONS : [];
  const param = useParams().section;
  const section: Section = allowed.includes(param as Section) ? (param as Section) : allowed[0];
  if (!section) {
    return (
      <main id="main" className="center-page">
        <p role="alert">{t('adminsOnly')}</p>
      </main>
    );
  }
  return (
    <main id="main" className="settings">
      <h1>{t('title')}</h1>
      <nav aria-label={t('sections')} className="settings-nav">
        {allowed.map((s) => (
          <NavLink key={s} to={`/settings/${s}`} aria-current={s === section ? 'page' : undefined} className={s === section ? 'active' : undefined}>
            {t(`${s}.title`)}
          </NavLink>
        ))}
      </nav>
      {section === 'channels' && <ChannelsSettings />}
      {section === 'agents' && <AgentsSettings />}
      {section === 'teams' && <TeamsSettings />}
      {section === 'sla' && <SlaSettings />}
      {section === 'savedReplies' && <SavedRepliesSettings />}
    </main>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ChannelType, Priority } from '../api/types';
import { useFormat } from '../format';
import { CHANNEL_TYPES } from '../inbox/filters';
import { SettingsList, useList } from './use-list';
import { FormError, useSubmit } from './use-submit';

interface Calendar {
  id: string;
  name: string;
  timezone: string;
  weekly: Record<string, Array<[string, string]>>;
  holidays: string[];
}
interface Policy {
  id: string;
  name: string;
  position: number;
  match: { priority?: string[]; channelType?: string[]; tier?: string[] };
  firstResponseSec: number | null;
  nextResponseSec: number | null;
  resolutionSec: number | null;
  calendarId: string | null;
  warnPercent: number | null;
  active: boolean;
}

/** Saturday first: the Iranian week (the weekend is Friday). */
const DAYS = ['sat', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri'] as const;
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];

/** Business hours (calendars) and SLA policies: the clocks the SLA board shows. */
export function SlaSettings() {
  const { t } = useTranslation('settings');
  const calendars = useList<Calendar>('/api/calendars');
  const policies = useList<Policy>('/api/sla/policies');
  return (
    <>
      <Policies calendars={calendars.items ?? []} list={policies} />
      <section aria-labelledby="calendars-heading">
        <h2 id="calendars-heading">{t('sla.calendars')}</h2>
        {calendars.items && !calendars.items.length && <p className="muted">{t('sla.noCalendars')}</p>}
        {!!calendars.items?.length && (
          <table className="settings-table">
            <thead>
              <tr>
                <th scope="col">{t('sla.name')}</th>
                <th scope="col">{t('sla.timezone')}</th>
                <th scope="col">{t('sla.hours')}</th>
                <th scope="col">{t('sla.holidayCount')}</th>
              </tr>
            </thead>
            <tbody>
              {calendars.items.map((calendar) => (
                <tr key={calendar.id}>
                  <th scope="row" dir="auto">
                    {calendar.name}
                  </th>
                  <td dir="ltr">{calendar.timezone}</td>
                  <td>
                    {DAYS.map((day) => (
                      <span key={day} className="week-day">
                        {t(`sla.days.${day}`)}{' '}
                        <span dir="ltr">{calendar.weekly[day]?.length ? calendar.weekly[day].map(([from, to]) => `${from}–${to}`).join(', ') : '—'}</span>
                      </span>
                    ))}
                  </td>
                  <td>{calendar.holidays.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <CalendarForm onCreated={calendars.reload} />
      </section>
    </>
  );
}

function Policies({ calendars, list }: { calendars: Calendar[]; list: SettingsList<Policy> }) {
  const { t, i18n } = useTranslation('settings');
  const format = useFormat();
  const target = (sec: number | null) => (sec ? format.duration(sec * 1000) : '—');
  const toggle = (policy: Policy) => list.patch(policy, { active: !policy.active });
  const matchText = (policy: Policy) => {
    const parts = [
      ...(policy.match.priority ?? []).map((p) => t(`sla.priorities.${p}`)),
      ...(policy.match.channelType ?? []).map((c) => t(`channels.types.${c}`)),
      ...(policy.match.tier ?? []),
    ];
    return parts.length ? parts.join(i18n.language === 'fa' ? '، ' : ', ') : t('sla.anyTicket');
  };
  return (
    <section aria-labelledby="policies-heading">
      <h2 id="policies-heading">{t('sla.policies')}</h2>
      <p className="muted">{t('sla.policiesIntro')}</p>
      {!!list.items?.length && (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">{t('sla.name')}</th>
              <th scope="col">{t('sla.appliesTo')}</th>
              <th scope="col">{t('sla.firstResponse')}</th>
              <th scope="col">{t('sla.nextResponse')}</th>
              <th scope="col">{t('sla.resolution')}</th>
              <th scope="col">{t('sla.calendar')}</th>
              <th scope="col">{t('channels.active')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((policy) => (
              <tr key={policy.id} className={policy.active ? undefined : 'inactive'}>
                <th scope="row" dir="auto">
                  {policy.name}
                </th>
                <td>{matchText(policy)}</td>
                <td>{target(policy.firstResponseSec)}</td>
                <td>{target(policy.nextResponseSec)}</td>
                <td>{target(policy.resolutionSec)}</td>
                <td dir="auto">{calendars.find((c) => c.id === policy.calendarId)?.name ?? t('sla.allHours')}</td>
                <td>
                  <label className="switch">
                    <input type="checkbox" checked={policy.active} onChange={() => toggle(policy)} />
                    <span className="visually-hidden">{t('sla.activeFor', { name: policy.name })}</span>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PolicyForm calendars={calendars} onCreated={list.reload} />
    </section>
  );
}

function PolicyForm({ calendars, onCreated }: { calendars: Calendar[]; onCreated: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const empty = { name: '', priorities: [] as string[], channelTypes: [] as string[], tiers: '', first: '', next: '', resolution: '', calendarId: '', warnPercent: '80' };
  const [form, setForm] = useState(empty);
  const toggleIn = (key: 'priorities' | 'channelTypes', value: string) =>
    setForm((f) => ({ ...f, [key]: f[key].includes(value) ? f[key].filter((v) => v !== value) : [...f[key], value] }));
  const seconds = (hours: string) => (hours.trim() ? Math.round(Number(hours) * 3600) : undefined);

  const { submit, error } = useSubmit(async () => {
    const tiers = form.tiers.split(/[\s,،]+/).filter(Boolean);
    const match = {
      ...(form.priorities.length ? { priority: form.priorities } : {}),
      ...(form.channelTypes.length ? { channelType: form.channelTypes } : {}),
      ...(tiers.length ? { tier: tiers } : {}),
    };
    await api('/api/sla/policies', {
      body: {
        name: form.name.trim(),
        match,
        firstResponseSec: seconds(form.first),
        nextResponseSec: seconds(form.next),
        resolutionSec: seconds(form.resolution),
        calendarId: form.calendarId || null,
        warnPercent: form.warnPercent ? Number(form.warnPercent) : undefined,
      },
    });
    setForm(empty);
    onCreated();
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('sla.addPolicy')}</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('sla.name')}</label>
        <input id={`${id}-name`} type="text" required maxLength={200} dir="auto" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </div>
      <fieldset className="field">
        <legend>{t('sla.priority')}</legend>
        <div className="team-members">
          {PRIORITIES.map((p) => (
            <label key={p} className="field-check">
              <input type="checkbox" checked={form.priorities.includes(p)} onChange={() => toggleIn('priorities', p)} />
              {t(`sla.priorities.${p}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field">
        <legend>{t('sla.channelType')}</legend>
        <div className="team-members">
          {CHANNEL_TYPES.map((c: ChannelType) => (
            <label key={c} className="field-check">
              <input type="checkbox" checked={form.channelTypes.includes(c)} onChange={() => toggleIn('channelTypes', c)} />
              {t(`channels.types.${c}`)}
            </label>
          ))}
        </div>
        <p className="muted field-hint">{t('sla.matchHint')}</p>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-tiers`}>
          {t('sla.tier')} <span className="muted">{t('optional')}</span>
        </label>
        <input id={`${id}-tiers`} type="text" dir="auto" value={form.tiers} onChange={(e) => setForm({ ...form, tiers: e.target.value })} />
      </div>
      <div className="sla-targets">
        {(['first', 'next', 'resolution'] as const).map((key) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{t(`sla.${key === 'first' ? 'firstResponse' : key === 'next' ? 'nextResponse' : 'resolution'}Hours`)}</label>
            <input id={`${id}-${key}`} type="number" min="0.05" step="any" inputMode="decimal" dir="ltr" value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
          </div>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-calendar`}>{t('sla.calendar')}</label>
        <select id={`${id}-calendar`} value={form.calendarId} onChange={(e) => setForm({ ...form, calendarId: e.target.value })}>
          <option value="">{t('sla.allHours')}</option>
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-warn`}>{t('sla.warnPercent')}</label>
        <input id={`${id}-warn`} type="number" min="1" max="99" dir="ltr" value={form.warnPercent} onChange={(e) => setForm({ ...form, warnPercent: e.target.value })} />
      </div>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t('sla.createPolicy')}
        </button>
      </div>
    </form>
  );
}

function CalendarForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('settings');
  const id = useId();
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Tehran', 'UTC'];
  // A typical Iranian week: Saturday to Wednesday all day, Thursday morning, Friday off.
  const initialWeek = Object.fromEntries(DAYS.map((d) => [d, { open: d !== 'fri', from: '08:00', to: d === 'thu' ? '12:00' : '16:00' }])) as Record<
    (typeof DAYS)[number],
    { open: boolean; from: string; to: string }
  >;
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState('Asia/Tehran');
  const [week, setWeek] = useState(initialWeek);
  const [holidays, setHolidays] = useState('');
  const { submit, error } = useSubmit(async () => {
    await api('/api/calendars', {
      body: {
        name: name.trim(),
        timezone,
        weekly: Object.fromEntries(DAYS.map((d) => [d, week[d].open ? [[week[d].from, week[d].to]] : []])),
        holidays: holidays.split(/[\s,]+/).filter(Boolean),
      },
    });
    setName('');
    setHolidays('');
    onCreated();
  });

  return (
    <form className="settings-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('sla.addCalendar')}</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('sla.name')}</label>
        <input id={`${id}-name`} type="text" required maxLength={200} dir="auto" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tz`}>{t('sla.timezone')}</label>
        <select id={`${id}-tz`} value={timezone} onChange={(e) => setTimezone(e.target.value)} dir="ltr">
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field week">
        <legend>{t('sla.hours')}</legend>
        {DAYS.map((day) => {
          const set = (patch: Partial<(typeof week)[typeof day]>) => setWeek((w) => ({ ...w, [day]: { ...w[day], ...patch } }));
          return (
            <div key={day} className="week-row">
              <label className="field-check">
                <input type="checkbox" checked={week[day].open} onChange={(e) => set({ open: e.target.checked })} />
                {t(`sla.days.${day}`)}
              </label>
              <input type="time" aria-label={t('sla.opensAt', { day: t(`sla.days.${day}`) })} value={week[day].from} disabled={!week[day].open} onChange={(e) => set({ from: e.target.value })} />
              <input type="time" aria-label={t('sla.closesAt', { day: t(`sla.days.${day}`) })} value={week[day].to} disabled={!week[day].open} onChange={(e) => set({ to: e.target.value })} />
            </div>
          );
        })}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-holidays`}>
          {t('sla.holidays')} <span className="muted">{t('optional')}</span>
        </label>
        <textarea id={`${id}-holidays`} rows={2} dir="ltr" placeholder="2027-03-21 2027-03-22" value={holidays} onChange={(e) => setHolidays(e.target.value)} />
      </div>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t('sla.createCalendar')}
        </button>
      </div>
    </form>
  );
}

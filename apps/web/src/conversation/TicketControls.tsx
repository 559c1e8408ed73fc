import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Priority, Team, Ticket, TicketStatus } from '../api/types';
import { useSession } from '../auth/session';
import { useDirectory } from '../data/directory';
import { useCommand } from '../keyboard/shortcuts';
import { notify, reportError } from '../ui/toasts';
import { SnoozeControl } from './SnoozeControl';

const STATUSES: TicketStatus[] = ['open', 'pending', 'resolved', 'closed'];
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];

/**
 * Assignee, team, status, priority, snooze and tags: each change is a PATCH; the pushed update confirms it.
 * Moving a ticket into a restricted team the agent is not in hides it from them: that asks first.
 */
export function TicketControls({ ticket, onChange, onLeft }: { ticket: Ticket; onChange(ticket: Ticket): void; onLeft(): void }) {
  const { t } = useTranslation('conversation');
  const { t: tc } = useTranslation();
  const { agent } = useSession();
  const { agents, teams } = useDirectory();
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [leavingTo, setLeavingTo] = useState<Team | null>(null);

  /** Resolves whether the server took the change (a refusal is reported here). */
  const patch = async (body: Record<string, unknown>, done?: string): Promise<boolean> => {
    setBusy(true);
    try {
      onChange(await api<Ticket>(`/api/tickets/${ticket.id}`, { method: 'PATCH', body }));
      if (done) notify(done);
      return true;
    } catch (error) {
      reportError(error, t('controls.saveFailed'));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const changeTeam = (teamId: string) => {
    const team = teams.find((x) => x.id === teamId);
    if (team?.restricted && agent.role === 'agent' && !(team.memberIds ?? []).includes(agent.id)) return setLeavingTo(team);
    void patch({ teamId: teamId || null });
  };
  const moveAway = async (team: Team) => {
    if (await patch({ teamId: team.id }, t('controls.movedAway', { number: ticket.number, team: team.name }))) onLeft();
  };

  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const toggleResolved = () => patch({ status: resolved ? 'open' : 'resolved' }, resolved ? t('controls.reopened') : t('controls.resolved', { number: ticket.number }));
  useCommand('resolve', () => {
    if (!busy) void toggleResolved();
  });

  const addTag = () => {
    const value = tag.trim();
    if (!value || ticket.tags.includes(value)) return setTag('');
    setTag('');
    void patch({ tags: [...ticket.tags, value] });
  };
  const onTagKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addTag();
    }
  };

  return (
    <div className="ticket-controls">
      <div className="field field-inline">
        <label htmlFor="ctl-assignee">{t('controls.assignee')}</label>
        <select id="ctl-assignee" value={ticket.assigneeId ?? ''} disabled={busy} onChange={(e) => void patch({ assigneeId: e.target.value || null })}>
          <option value="">{t('controls.unassigned')}</option>
          {!agents.some((a) => a.id === agent.id) && <option value={agent.id}>{agent.name}</option>}
          {agents
            .filter((a) => a.active || a.id === ticket.assigneeId)
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.id === agent.id ? t('controls.me', { name: a.name }) : a.name}
              </option>
            ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="ctl-team">{t('controls.team')}</label>
        <select id="ctl-team" value={ticket.teamId ?? ''} disabled={busy || !!leavingTo} onChange={(e) => changeTeam(e.target.value)}>
          <option value="">{t('controls.noTeam')}</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      {leavingTo && (
        <div className="team-leave" role="alertdialog" aria-labelledby="team-leave-text">
          <p id="team-leave-text">{t('controls.leaveWarning', { team: leavingTo.name })}</p>
          <div className="form-actions">
            <button type="button" className="button" disabled={busy} onClick={() => void moveAway(leavingTo)}>
              {t('controls.leaveConfirm')}
            </button>
            <button type="button" className="button button-quiet" disabled={busy} onClick={() => setLeavingTo(null)} autoFocus>
              {t('controls.leaveCancel')}
            </button>
          </div>
        </div>
      )}
      <div className="field field-inline">
        <label htmlFor="ctl-status">{t('controls.status')}</label>
        <select id="ctl-status" value={ticket.status} disabled={busy} onChange={(e) => void patch({ status: e.target.value })}>
          {ticket.status === 'snoozed' && (
            <option value="snoozed" disabled>
              {tc('status.snoozed')}
            </option>
          )}
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor="ctl-priority">{t('controls.priority')}</label>
        <select id="ctl-priority" value={ticket.priority} disabled={busy} onChange={(e) => void patch({ priority: e.target.value })}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {tc(`priority.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button" onClick={() => void toggleResolved()} disabled={busy} aria-keyshortcuts="e">
        {resolved ? t('controls.reopen') : t('controls.resolve')} <kbd aria-hidden="true">e</kbd>
      </button>
      <SnoozeControl ticket={ticket} busy={busy} onPatch={patch} />
      <div className="tags" aria-label={t('controls.tags')} role="group">
        {ticket.tags.map((x) => (
          <span key={x} className="chip">
            <span dir="auto">{x}</span>
            <button type="button" className="icon-button" aria-label={t('controls.removeTag', { tag: x })} onClick={() => void patch({ tags: ticket.tags.filter((y) => y !== x) })}>
              ×
            </button>
          </span>
        ))}
        <label htmlFor="ctl-tag" className="visually-hidden">
          {t('controls.addTag')}
        </label>
        <input id="ctl-tag" className="tag-input" type="text" value={tag} placeholder={t('controls.addTag')} dir="auto" onChange={(e) => setTag(e.target.value)} onKeyDown={onTagKey} />
      </div>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import type { AgentLoadRow } from './useAgentLoad';

/** Per agent: presence, open tickets assigned, and how many of them are breached or at risk. */
export function AgentLoad({ rows, wall }: { rows: AgentLoadRow[]; wall: boolean }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  if (!rows.length) return <p className="board-empty">{t('agents.empty')}</p>;
  return (
    <div className="board-table-wrap">
      <table className="board-table board-agents">
        <caption className="board-visually-hidden">{t('agents.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('agents.agent')}</th>
            <th scope="col">{t('agents.presence')}</th>
            <th scope="col" className="board-numeric">
              {t('agents.open')}
            </th>
            <th scope="col" className="board-numeric">
              {t('agents.breached')}
            </th>
            {!wall && (
              <th scope="col" className="board-numeric">
                {t('agents.atRisk')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id ?? 'unassigned'} data-agent-id={row.id ?? 'none'} className={row.id ? undefined : 'board-agents__unassigned'}>
              <th scope="row" dir="auto">
                {row.name ?? t('unassigned')}
              </th>
              <td>
                {row.presence ? (
                  <span className={`board-presence board-presence--${row.presence}`} title={row.lastSeenAt ? t('agents.lastSeen', { when: format.relative(row.lastSeenAt) }) : undefined}>
                    {t(`presence.${row.presence}`)}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td className="board-numeric">{format.number(row.open)}</td>
              <td className={`board-numeric${row.breached ? ' board-agents__breached' : ''}`}>{format.number(row.breached)}</td>
              {!wall && <td className="board-numeric">{format.number(row.atRisk)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

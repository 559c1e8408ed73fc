import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import type { BoardSummary as Summary } from './sla';

const CARDS: Array<{ key: keyof Summary; state: string }> = [
  { key: 'breached', state: 'breached' },
  { key: 'atRisk', state: 'at_risk' },
  { key: 'onTrack', state: 'on_track' },
  { key: 'paused', state: 'paused' },
];

/** The four counts of `GET /api/sla/board`'s summary. */
export function BoardSummary({ summary }: { summary: Summary | null }) {
  const { t } = useTranslation('board');
  const format = useFormat();
  return (
    <dl className="board-summary">
      {CARDS.map(({ key, state }) => (
        <div key={key} className={`board-summary__card board-summary__card--${state}`} data-count={key}>
          <dt>{t(`state.${state}`)}</dt>
          <dd>{summary ? format.number(summary[key]) : '…'}</dd>
        </div>
      ))}
    </dl>
  );
}

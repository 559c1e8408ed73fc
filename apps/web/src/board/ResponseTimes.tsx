import { BarController, BarElement, CategoryScale, Chart as ChartJS, type ChartData, type ChartOptions, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useId, useMemo, useState } from 'react';
import { Chart } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import { ApiError, api, apiBlob, query, saveBlob } from '../api/client';
import { type Format, useFormat } from '../format';
import { usePreferences } from '../prefs/preferences';

// Only what these charts draw: bars (per agent, per channel) and lines (per day), with tooltips and
// a legend. Registering chart.js piece by piece keeps the rest of it out of the bundle.
ChartJS.register(CategoryScale, LinearScale, BarController, BarElement, LineController, LineElement, PointElement, Tooltip, Legend);

export type GroupBy = 'day' | 'agent' | 'channel';
export const PERIODS = [7, 30, 90] as const;
const GROUPS: GroupBy[] = ['day', 'agent', 'channel'];

interface Stats {
  p50: number | null;
  p90: number | null;
  avg: number | null;
}

interface ReportRow {
  key: string | null;
  label: string | null;
  tickets: number;
  firstResponseSec: Stats;
  firstResponseBusinessSec?: Stats;
  resolutionSec: Stats;
  resolutionBusinessSec?: Stats;
  slaMetRatio: number | null;
  csat?: { surveys: number; responses: number; average: number | null; satisfiedRatio: number | null };
}

interface Report {
  from: string;
  to: string;
  groupBy: string;
  rows: ReportRow[];
}

type Metric = 'firstResponse' | 'resolution';

const DAY_MS = 86_400_000;
const REFRESH_MS = 5 * 60_000;
const COLORS = { p50: '#2f6fdf', p90: '#d9822b' };

/** Text and grid colours and the font of the app's theme (CSS variables), for the canvas. */
function themeOf(): { text: string; grid: string; font: string } {
  const css = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: read('--muted', '#5b6672'), grid: read('--border', '#d9dee4'), font: getComputedStyle(document.body).fontFamily || 'system-ui, sans-serif' };
}

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every local date (YYYY-MM-DD in `timeZone`) from `from` to `to`, so empty days show as gaps. */
function daysBetween(from: number, to: number, timeZone: string): string[] {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const keys = new Set<string>();
  for (let t = from; t < to; t += DAY_MS / 4) keys.add(f.format(t));
  keys.add(f.format(to - 1));
  return [...keys];
}

/** The axis unit that keeps the numbers readable for the largest value (seconds). */
function unitFor(maxSec: number): { unit: 'seconds' | 'minutes' | 'hours' | 'days'; div: number } {
  if (maxSec < 120) return { unit: 'seconds', div: 1 };
  if (maxSec < 2 * 3600) return { unit: 'minutes', div: 60 };
  if (maxSec < 3 * 86_400) return { unit: 'hours', div: 3600 };
  return { unit: 'days', div: 86_400 };
}

function statsOf(row: ReportRow, metric: Metric, business: boolean): Stats | undefined {
  if (metric === 'firstResponse') return business ? row.firstResponseBusinessSec : row.firstResponseSec;
  return business ? row.resolutionBusinessSec : row.resolutionSec;
}

function ResponseChart(props: {
  metric: Metric;
  groupBy: GroupBy;
  labels: string[];
  rows: Array<ReportRow | null>;
  business: boolean;
  format: Format;
  rtl: boolean;
  theme: { text: string; grid: string; font: string };
}) {
  const { metric, groupBy, labels, rows, business, format, rtl, theme } = props;
  const { t } = useTranslation('board');
  const headingId = useId();
  const p50 = rows.map((r) => (r ? (statsOf(r, metric, business)?.p50 ?? null) : null));
  const p90 = rows.map((r) => (r ? (statsOf(r, metric, business)?.p90 ?? null) : null));
  const max = Math.max(0, ...p90.map((v) => v ?? 0), ...p50.map((v) => v ?? 0));
  const { unit, div } = unitFor(max);
  const type = groupBy === 'day' ? 'line' : 'bar';
  const title = t(`reports.metric.${metric}`);

  const data: ChartData<'bar' | 'line', Array<number | null>, string> = {
    labels,
    datasets: [
      { label: t('reports.p50'), data: p50.map((v) => (v === null ? null : v / div)), backgroundColor: COLORS.p50, borderColor: COLORS.p50, pointRadius: 2, spanGaps: false },
      { label: t('reports.p90'), data: p90.map((v) => (v === null ? null : v / div)), backgroundColor: COLORS.p90, borderColor: COLORS.p90, pointRadius: 2, borderDash: [6, 4], spanGaps: false },
    ],
  };
  const options: ChartOptions<'bar' | 'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    color: theme.text,
    font: { family: theme.font },
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 0, color: theme.text }, grid: { color: theme.grid } },
      y: {
        beginAtZero: true,
        position: rtl ? 'right' : 'left',
        title: { display: true, text: t(`reports.unit.${unit}`), color: theme.text },
        ticks: { callback: (value) => format.number(Number(value)), color: theme.text },
        grid: { color: theme.grid },
      },
    },
    plugins: {
      legend: { position: 'bottom', rtl, textDirection: rtl ? 'rtl' : 'ltr' },
      tooltip: {
        rtl,
        textDirection: rtl ? 'rtl' : 'ltr',
        callbacks: {
          label: (item) => `${item.dataset.label}: ${item.raw === null || item.raw === undefined ? '—' : format.duration(Number(item.raw) * div * 1000)}`,
        },
      },
    },
  };

  return (
    <figure className="board-chart">
      <figcaption id={headingId} className="board-chart__title">
        {title}
      </figcaption>
      <div className="board-chart__canvas">
        <Chart
          type={type}
          data={data}
          options={options}
          role="img"
          aria-labelledby={headingId}
          aria-describedby={`${headingId}-table`}
          fallbackContent={<p>{t('reports.fallback')}</p>}
        />
      </div>
      <details className="board-chart__data">
        <summary>{t('reports.showData')}</summary>
        <table className="board-table" id={`${headingId}-table`}>
          <caption>{t('reports.dataCaption', { metric: title, group: t(`reports.group.${groupBy}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`reports.group.${groupBy}`)}</th>
              <th scope="col" className="board-numeric">
                {t('reports.tickets')}
              </th>
              <th scope="col" className="board-numeric">
                {t('reports.p50')}
              </th>
              <th scope="col" className="board-numeric">
                {t('reports.p90')}
              </th>
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={`${label}-${i}`}>
                <th scope="row" dir="auto">
                  {label}
                </th>
                <td className="board-numeric">{format.number(rows[i]?.tickets ?? 0)}</td>
                <td className="board-numeric">{p50[i] === null ? '—' : format.duration(p50[i]! * 1000)}</td>
                <td className="board-numeric">{p90[i] === null ? '—' : format.duration(p90[i]! * 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Ratings customers gave when asked after a resolution (channels with CSAT on), for the same groups. */
function Satisfaction({ groupBy, labels, rows, format }: { groupBy: GroupBy; labels: string[]; rows: Array<ReportRow | null>; format: ReturnType<typeof useFormat> }) {
  const { t } = useTranslation('board');
  const asked = labels.map((label, i) => ({ label, csat: rows[i]?.csat })).filter((r) => r.csat && r.csat.surveys > 0);
  return (
    <section className="board-csat" aria-labelledby="board-csat-heading">
      <h3 id="board-csat-heading">{t('reports.csat.heading')}</h3>
      {!asked.length ? (
        <p className="board-empty">{t('reports.csat.none')}</p>
      ) : (
        <table className="board-table">
          <thead>
            <tr>
              <th scope="col">{t(`reports.group.${groupBy}`)}</th>
              <th scope="col" className="board-numeric">
                {t('reports.csat.surveys')}
              </th>
              <th scope="col" className="board-numeric">
                {t('reports.csat.responses')}
              </th>
              <th scope="col" className="board-numeric">
                {t('reports.csat.average')}
              </th>
              <th scope="col" className="board-numeric">
                {t('reports.csat.satisfied')}
              </th>
            </tr>
          </thead>
          <tbody>
            {asked.map(({ label, csat }, i) => (
              <tr key={`${label}-${i}`}>
                <th scope="row" dir="auto">
                  {label}
                </th>
                <td className="board-numeric">{format.number(csat!.surveys)}</td>
                <td className="board-numeric">{format.number(csat!.responses)}</td>
                <td className="board-numeric">{csat!.average === null ? '—' : t('reports.csat.outOf5', { score: format.number(csat!.average) })}</td>
                <td className="board-numeric">{csat!.satisfiedRatio === null ? '—' : format.percent(csat!.satisfiedRatio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Response-time charts from `GET /api/reports/response-times`: p50 and p90 of first response and of
 * resolution, per day, per agent or per channel, over 7, 30 or 90 days, and the same report as CSV.
 */
export default function ResponseTimes() {
  const { t } = useTranslation('board');
  const format = useFormat();
  const prefs = usePreferences();
  const rtl = prefs.language === 'fa';
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const [business, setBusiness] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const timeZone = useMemo(browserTimeZone, []);
  // Re-read with the language: the theme does not change under a mounted board otherwise.
  const theme = useMemo(themeOf, [prefs.language]);
  const ids = { period: useId(), group: useId(), business: useId() };

  // The period ends now, rounded to the minute so the CSV matches what the charts show; a board left
  // open moves it on every few minutes.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const range = useMemo(() => {
    const to = Math.ceil(Date.now() / 60_000) * 60_000;
    return { from: to - days * DAY_MS, to };
  }, [days, tick]);
  const params = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), groupBy, timezone: timeZone };

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api<Report>(`/api/reports/response-times${query(params)}`, { signal: controller.signal })
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((e) => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [range, groupBy, timeZone]); // `params` is derived from these

  const { labels, rows } = useMemo(() => {
    if (!report) return { labels: [] as string[], rows: [] as Array<ReportRow | null> };
    if (groupBy === 'day') {
      const byKey = new Map(report.rows.map((r) => [r.key, r]));
      const keys = daysBetween(range.from, range.to, timeZone);
      // Noon of the local date: its Jalali or Gregorian date, whatever the browser's offset.
      return { labels: keys.map((k) => format.date(new Date(`${k}T12:00:00`))), rows: keys.map((k) => byKey.get(k) ?? null) };
    }
    const fallback = groupBy === 'agent' ? t('unassigned') : t('reports.unknownChannel');
    return { labels: report.rows.map((r) => r.label ?? fallback), rows: report.rows };
  }, [report, groupBy, range, timeZone, format, t]);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await apiBlob(`/api/reports/response-times${query({ ...params, format: 'csv' })}`);
      saveBlob(blob, `response-times-${groupBy}-${days}d.csv`);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };

  const message = (e: unknown) => (e instanceof ApiError ? e.message : String((e as Error)?.message ?? e));
  const empty = report && !report.rows.length;

  return (
    <div className="board-reports" aria-busy={loading}>
      <div className="board-controls">
        <fieldset className="board-segmented">
          <legend id={ids.period}>{t('reports.period')}</legend>
          {PERIODS.map((p) => (
            <label key={p}>
              <input type="radio" name={`${ids.period}-p`} value={p} checked={days === p} onChange={() => setDays(p)} />
              <span>{t('reports.days', { count: p, n: format.number(p) })}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="board-segmented">
          <legend id={ids.group}>{t('reports.groupBy')}</legend>
          {GROUPS.map((g) => (
            <label key={g}>
              <input type="radio" name={`${ids.group}-g`} value={g} checked={groupBy === g} onChange={() => setGroupBy(g)} />
              <span>{t(`reports.per.${g}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="board-check" htmlFor={ids.business}>
          <input id={ids.business} type="checkbox" checked={business} onChange={(e) => setBusiness(e.target.checked)} />
          {t('reports.business')}
        </label>
        <button type="button" className="board-button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? t('reports.exporting') : t('reports.exportCsv')}
        </button>
      </div>
      {exportError !== null && (
        <p role="alert" className="board-error">
          {t('reports.exportFailed', { message: message(exportError) })}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="board-error">
          {t('loadFailed', { message: message(error) })}
        </p>
      )}
      {loading && !report && <p className="board-empty">{t('loading')}</p>}
      {empty && <p className="board-empty">{t('reports.empty')}</p>}
      {report && !empty && (
        <div className="board-charts">
          <ResponseChart metric="firstResponse" groupBy={groupBy} labels={labels} rows={rows} business={business} format={format} rtl={rtl} theme={theme} />
          <ResponseChart metric="resolution" groupBy={groupBy} labels={labels} rows={rows} business={business} format={format} rtl={rtl} theme={theme} />
        </div>
      )}
      {report && !empty && <Satisfaction groupBy={groupBy} labels={labels} rows={rows} format={format} />}
    </div>
  );
}

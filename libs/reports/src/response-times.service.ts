import { Injectable } from '@nestjs/common';
import { CommonErrorCode, CommonException } from '@pasokh/common';
import { IANAZone } from 'luxon';
import { ResponseTimeReportDto, ResponseTimesQuery } from './dto/response-times.dto';
import { ResponseTimeRow, ResponseTimesRepository } from './response-times.repository';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 400;

@Injectable()
export class ResponseTimesService {
  constructor(private readonly repository: ResponseTimesRepository) {}

  async report(query: ResponseTimesQuery): Promise<ResponseTimeReportDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (query.timezone && !IANAZone.isValidZone(query.timezone)) throw new CommonException(CommonErrorCode.VALIDATION_FAILED, 'timezone must be an IANA time zone such as Asia/Tehran');
    if (from >= to) throw new CommonException(CommonErrorCode.VALIDATION_FAILED, 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new CommonException(CommonErrorCode.VALIDATION_FAILED, `a report covers at most ${MAX_RANGE_DAYS} days`);
    const rows = await this.repository.rows(from, to, query.groupBy ?? 'day', query.timezone ?? 'UTC');
    return { from: from.toISOString(), to: to.toISOString(), groupBy: query.groupBy ?? 'day', rows: rows.map(toRow) };
  }

  /** The same report as CSV (one line per group), for spreadsheets. */
  toCsv(report: ResponseTimeReportDto): string {
    const header = [
      'key', 'label', 'tickets',
      'first_response_p50_sec', 'first_response_p90_sec', 'first_response_avg_sec',
      'first_response_business_p50_sec', 'first_response_business_p90_sec', 'first_response_business_avg_sec',
      'resolution_p50_sec', 'resolution_p90_sec', 'resolution_avg_sec',
      'resolution_business_p50_sec', 'resolution_business_p90_sec', 'resolution_business_avg_sec',
      'sla_met_ratio',
      'csat_surveys', 'csat_responses', 'csat_average', 'csat_satisfied_ratio',
    ];
    const lines = report.rows.map((r) =>
      [
        r.key, r.label, r.tickets,
        r.firstResponseSec.p50, r.firstResponseSec.p90, r.firstResponseSec.avg,
        r.firstResponseBusinessSec.p50, r.firstResponseBusinessSec.p90, r.firstResponseBusinessSec.avg,
        r.resolutionSec.p50, r.resolutionSec.p90, r.resolutionSec.avg,
        r.resolutionBusinessSec.p50, r.resolutionBusinessSec.p90, r.resolutionBusinessSec.avg,
        r.slaMetRatio,
        r.csat.surveys, r.csat.responses, r.csat.average, r.csat.satisfiedRatio,
      ].map(csvCell).join(','),
    );
    return [header.join(','), ...lines].join('\r\n') + '\r\n';
  }
}

const num = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
const ratio = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);

function toRow(r: ResponseTimeRow) {
  return {
    key: r.key,
    label: r.label,
    tickets: r.tickets,
    firstResponseSec: { p50: num(r.fr_p50), p90: num(r.fr_p90), avg: num(r.fr_avg) },
    firstResponseBusinessSec: { p50: num(r.fr_biz_p50), p90: num(r.fr_biz_p90), avg: num(r.fr_biz_avg) },
    resolutionSec: { p50: num(r.res_p50), p90: num(r.res_p90), avg: num(r.res_avg) },
    resolutionBusinessSec: { p50: num(r.res_biz_p50), p90: num(r.res_biz_p90), avg: num(r.res_biz_avg) },
    slaMetRatio: ratio(r.sla_met_ratio),
    csat: { surveys: r.csat_surveys, responses: r.csat_responses, average: r.csat_avg === null ? null : Math.round(Number(r.csat_avg) * 100) / 100, satisfiedRatio: ratio(r.csat_satisfied) },
  };
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what a spreadsheet would misread; prefix formulas so a name like "=HYPERLINK(…)" stays text.
  const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

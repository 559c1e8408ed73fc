import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type GroupBy = 'agent' | 'team' | 'channel' | 'day';

export interface ResponseTimeRow {
  key: string | null;
  label: string | null;
  tickets: number;
  fr_p50: number | null;
  fr_p90: number | null;
  fr_avg: number | null;
  fr_biz_p50: number | null;
  fr_biz_p90: number | null;
  fr_biz_avg: number | null;
  res_p50: number | null;
  res_p90: number | null;
  res_avg: number | null;
  res_biz_p50: number | null;
  res_biz_p90: number | null;
  res_biz_avg: number | null;
  sla_met_ratio: number | null;
  csat_surveys: number;
  csat_responses: number;
  csat_avg: number | null;
  csat_satisfied: number | null;
}

const GROUPS: Record<GroupBy, { key: string; label: string; join: string }> = {
  agent: { key: 't.assignee_id::text', label: 'a.name', join: 'LEFT JOIN agents a ON a.id = t.assignee_id' },
  team: { key: 't.team_id::text', label: 'tm.name', join: 'LEFT JOIN teams tm ON tm.id = t.team_id' },
  channel: { key: 't.channel_id::text', label: 'ch.name', join: 'JOIN channels ch ON ch.id = t.channel_id' },
  day: { key: "to_char(t.created_at AT TIME ZONE $3, 'YYYY-MM-DD')", label: "to_char(t.created_at AT TIME ZONE $3, 'YYYY-MM-DD')", join: '' },
};

const stats = (expr: string, name: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr}) AS ${name}_p50,
   percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expr}) AS ${name}_p90,
   avg(${expr}) AS ${name}_avg`;

/** Response times (and satisfaction ratings) of the tickets created in [from, to), in SQL over the created_at index: never all tickets in memory. */
@Injectable()
export class ResponseTimesRepository {
  constructor(private readonly dataSource: DataSource) {}

  rows(from: Date, to: Date, groupBy: GroupBy, timezone: string): Promise<ResponseTimeRow[]> {
    const group = GROUPS[groupBy];
    return this.dataSource.query(
      `SELECT ${group.key} AS key, ${group.label} AS label, count(*)::int AS tickets,
              ${stats('extract(epoch FROM t.first_response_at - t.created_at)', 'fr')},
              ${stats('t.first_response_business_sec', 'fr_biz')},
              ${stats('extract(epoch FROM t.resolved_at - t.created_at)', 'res')},
              ${stats('t.resolution_business_sec', 'res_biz')},
              avg(CASE WHEN t.sla_policy_id IS NULL THEN NULL WHEN t.sla_breached THEN 0 ELSE 1 END) AS sla_met_ratio,
              count(s.ticket_id)::int AS csat_surveys, count(s.score)::int AS csat_responses, avg(s.score) AS csat_avg,
              avg(CASE WHEN s.score >= 4 THEN 1 WHEN s.score IS NOT NULL THEN 0 END) AS csat_satisfied
         FROM tickets t ${group.join}
         LEFT JOIN csat_surveys s ON s.ticket_id = t.id
        WHERE t.created_at >= $1 AND t.created_at < $2
        GROUP BY 1, 2
        ORDER BY 1 NULLS LAST`,
      groupBy === 'day' ? [from, to, timezone] : [from, to],
    );
  }
}

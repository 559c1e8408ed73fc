import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AgentLoadRow {
  assigneeId: string | null;
  open: number;
  breached: number;
  atRisk: number;
}

/** Open work (open, pending, snoozed) per assignee, counted in one pass of the tickets table. */
@Injectable()
export class AgentLoadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<AgentLoadRow[]> {
    const rows: Array<{ assignee_id: string | null; open: number; breached: number; at_risk: number }> = await this.dataSource.query(
      `SELECT t.assignee_id, count(*)::int AS open,
              count(*) FILTER (WHERE t.sla_state = 'breached')::int AS breached,
              count(*) FILTER (WHERE t.sla_state = 'at_risk')::int AS at_risk
         FROM tickets t
        WHERE t.status IN ('open', 'pending', 'snoozed')
        GROUP BY t.assignee_id`,
    );
    return rows.map((r) => ({ assigneeId: r.assignee_id, open: r.open, breached: r.breached, atRisk: r.at_risk }));
  }
}

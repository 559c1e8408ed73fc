import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendarEntity } from './business-calendar.entity';
import { SlaClocks, SlaMetric } from './sla-clock';
import { SlaPolicyEntity } from './sla-policy.entity';

export interface TicketSlaRow {
  id: string;
  created_at: Date;
  status: string;
  priority: string;
  channel_type: string;
  tier: string;
  sla_policy_id: string | null;
  sla_clocks: SlaClocks;
}

@Injectable()
export class SlaClockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Policies (evaluation order) and calendars, read through the caller's transaction. */
  async configuration(manager: EntityManager): Promise<{ policies: SlaPolicyEntity[]; calendars: BusinessCalendarEntity[] }> {
    const [policies, calendars] = [
      await manager.find(SlaPolicyEntity, { order: { position: 'ASC', createdAt: 'ASC' } }),
      await manager.find(BusinessCalendarEntity),
    ];
    return { policies, calendars };
  }

  async ticket(manager: EntityManager, ticketId: string): Promise<TicketSlaRow | null> {
    const rows: TicketSlaRow[] = await manager.query(
      `SELECT t.id, t.created_at, t.status, t.priority, ch.type AS channel_type, cu.tier, t.sla_policy_id, t.sla_clocks
         FROM tickets t JOIN channels ch ON ch.id = t.channel_id JOIN customers cu ON cu.id = t.customer_id
        WHERE t.id = $1`,
      [ticketId],
    );
    return rows[0] ?? null;
  }

  async save(
    manager: EntityManager,
    ticketId: string,
    policyId: string,
    clocks: SlaClocks,
    state: string,
    nextCheckAt: Date | null,
    measured: { firstResponseSec?: number; resolutionSec?: number } = {},
  ): Promise<void> {
    const running = (metric: SlaMetric) => (clocks[metric] && !clocks[metric]!.stoppedAt ? clocks[metric]!.dueAt : null);
    const breached = Object.values(clocks).some((c) => c?.breached);
    await manager.query(
      `UPDATE tickets SET sla_policy_id = $2, sla_clocks = $3::jsonb, sla_state = $4, sla_next_check_at = $5,
              first_response_due_at = $6, next_response_due_at = $7, resolution_due_at = $8, sla_breached = $9,
              first_response_business_sec = COALESCE($10, first_response_business_sec),
              resolution_business_sec = COALESCE($11, resolution_business_sec)
        WHERE id = $1`,
      [
        ticketId, policyId, JSON.stringify(clocks), state, nextCheckAt,
        running('first_response'), running('next_response'), running('resolution'), breached,
        measured.firstResponseSec ?? null, measured.resolutionSec ?? null,
      ],
    );
  }

  /** Records an SLA event once; false if it was already recorded (another instance, or before a restart). */
  async recordEvent(manager: EntityManager, ticketId: string, policyId: string, metric: SlaMetric, kind: 'warning' | 'breached' | 'met', dueAt: string | null): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO sla_events (ticket_id, policy_id, metric, kind, due_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING id`,
      [ticketId, policyId, metric, kind, dueAt],
    );
    return rows.length > 0;
  }

  /** Tickets whose next SLA instant has come, locked so one instance handles each. */
  claimDue(manager: EntityManager, limit: number): Promise<Array<{ id: string; sla_policy_id: string; sla_clocks: SlaClocks }>> {
    return manager.query(
      `SELECT id, sla_policy_id, sla_clocks FROM tickets WHERE sla_next_check_at <= now()
        ORDER BY sla_next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /**
   * Records a batch of alerts in one statement; returns those inserted now (the unique key drops any
   * another instance or an earlier run already recorded).
   */
  async recordAlerts(
    manager: EntityManager,
    alerts: Array<{ ticketId: string; policyId: string; metric: SlaMetric; kind: 'warning' | 'breached'; dueAt: string }>,
  ): Promise<Array<{ ticket_id: string; metric: SlaMetric; kind: 'warning' | 'breached' }>> {
    if (!alerts.length) return [];
    return manager.query(
      `INSERT INTO sla_events (ticket_id, policy_id, metric, kind, due_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
       ON CONFLICT DO NOTHING RETURNING ticket_id, metric, kind`,
      [alerts.map((a) => a.ticketId), alerts.map((a) => a.policyId), alerts.map((a) => a.metric), alerts.map((a) => a.kind), alerts.map((a) => a.dueAt)],
    );
  }

  /** Saves a batch of clock flag changes (warned / breached) with the new state and next instant. */
  async saveFlags(manager: EntityManager, updates: Array<{ id: string; clocks: SlaClocks; state: string; next: Date | null }>): Promise<void> {
    if (!updates.length) return;
    await manager.query(
      `UPDATE tickets t SET sla_clocks = u.clocks, sla_state = u.state, sla_next_check_at = u.next, sla_breached = u.breached
         FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::timestamptz[], $5::boolean[]) AS u(id, clocks, state, next, breached)
        WHERE t.id = u.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => JSON.stringify(u.clocks)),
        updates.map((u) => u.state),
        updates.map((u) => u.next),
        updates.map((u) => Object.values(u.clocks).some((c) => c?.breached)),
      ],
    );
  }

  async anyPolicy(): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM sla_policies WHERE active LIMIT 1');
    return rows.length > 0;
  }

  async nextCheckAt(): Promise<Date | null> {
    const rows: Array<{ at: Date | null }> = await this.dataSource.query('SELECT min(sla_next_check_at) AS at FROM tickets');
    return rows[0]?.at ?? null;
  }
}

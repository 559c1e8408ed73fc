import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { WakeableLoop } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { SlaClockService } from '@pasokh/sla';
import { DataSource } from 'typeorm';

// A snooze ends at a time an agent picked from a menu ("in 1 hour", "tomorrow 9:00"): waking up to
// 15 s late is fine, and cheaper than waking the loop on every ticket change.
const MAX_SLEEP_MS = 15_000;
const BATCH = 100;

/**
 * Snoozed tickets come back by themselves: at snoozed_until the ticket is open again, its SLA clocks
 * run again, agents see ticket.updated, and the audit log says the system did it. Several instances
 * share the work with SKIP LOCKED.
 */
@Injectable()
export class SnoozeWaker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SnoozeWaker.name);
  private readonly loop = new WakeableLoop(this.logger, () => this.round(), 5_000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly sla: SlaClockService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('workers')) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  private async round(): Promise<number> {
    const woken = await this.wakeDue();
    if (woken === BATCH) return 0;
    const rows: Array<{ next: Date | null }> = await this.dataSource.query(`SELECT min(snoozed_until) AS next FROM tickets WHERE status = 'snoozed'`);
    const next = rows[0]?.next ? new Date(rows[0].next).getTime() - Date.now() : MAX_SLEEP_MS;
    return Math.min(MAX_SLEEP_MS, Math.max(250, next));
  }

  private wakeDue(): Promise<number> {
    return this.tx.run(async (tx) => {
      const due: Array<{ id: string; snoozed_until: Date }> = await tx.manager.query(
        `WITH due AS (
           SELECT id, snoozed_until FROM tickets WHERE status = 'snoozed' AND snoozed_until <= now()
            ORDER BY snoozed_until LIMIT ${BATCH} FOR UPDATE SKIP LOCKED),
         woken AS (
           UPDATE tickets t SET status = 'open', snoozed_until = NULL, updated_at = now()
             FROM due WHERE t.id = due.id RETURNING t.id, due.snoozed_until)
         SELECT * FROM woken`,
      );
      const now = new Date();
      for (const ticket of due) {
        await this.audit.record(tx.manager, { type: 'system', id: null }, {
          action: 'ticket.updated',
          entityType: 'ticket',
          entityId: ticket.id,
          data: { status: { from: 'snoozed', to: 'open' }, reason: 'snooze ended', snoozedUntil: new Date(ticket.snoozed_until).toISOString() },
        });
        await this.sla.onTicketEvent(tx, ticket.id, { kind: 'status', at: now, from: 'snoozed', to: 'open' });
        tx.afterCommit(() => this.events.publish({ type: 'ticket.updated', ticketId: ticket.id }));
      }
      return due.length;
    });
  }
}

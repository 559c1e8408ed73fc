import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { WakeableLoop } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { nextCheckAt, SLA_METRICS, slaState } from './sla-clock';
import { SlaClockRepository } from './sla-clock.repository';

// Sleep at most this long between looks at the table: another instance may have set an earlier instant.
const MAX_SLEEP_MS = 30_000;
const BATCH = 100;

/**
 * Announces SLA warnings and breaches at their instant: it sleeps until the earliest
 * `sla_next_check_at` (not a fixed poll), claims due tickets with SKIP LOCKED, and records each alert in
 * `sla_events` under a unique key, so a restart or a second instance never repeats or skips one.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaScheduler.name);
  private readonly loop = new WakeableLoop(this.logger, () => this.round(), 1_000);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly repository: SlaClockRepository,
    private readonly tx: TransactionService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('workers')) return;
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'sla.scheduled') this.loop.wake();
    });
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /** Announces what is due; then sleeps until the earliest next instant (at most MAX_SLEEP_MS). */
  private async round(): Promise<number> {
    if ((await this.processDue()) === BATCH) return 0;
    const next = await this.repository.nextCheckAt();
    return next ? Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - Date.now())) : MAX_SLEEP_MS;
  }

  /** One batch in one transaction: three statements whatever its size, so 500 breaches at once stay prompt. */
  private async processDue(): Promise<number> {
    return this.tx.run(async (tx) => {
      const tickets = await this.repository.claimDue(tx.manager, BATCH);
      const now = new Date();
      const alerts: Parameters<SlaClockRepository['recordAlerts']>[1] = [];
      const updates = tickets.map((ticket) => {
        const clocks = { ...ticket.sla_clocks };
        for (const metric of SLA_METRICS) {
          const clock = clocks[metric];
          if (!clock || clock.stoppedAt || !clock.dueAt) continue;
          if (!clock.warned && clock.warnAt && new Date(clock.warnAt) <= now) {
            alerts.push({ ticketId: ticket.id, policyId: ticket.sla_policy_id, metric, kind: 'warning', dueAt: clock.dueAt });
            clocks[metric] = { ...clocks[metric]!, warned: true };
          }
          if (!clock.breached && new Date(clock.dueAt) <= now) {
            alerts.push({ ticketId: ticket.id, policyId: ticket.sla_policy_id, metric, kind: 'breached', dueAt: clock.dueAt });
            clocks[metric] = { ...clocks[metric]!, breached: true };
          }
        }
        return { id: ticket.id, clocks, state: slaState(clocks, now), next: nextCheckAt(clocks) };
      });
      const announced = await this.repository.recordAlerts(tx.manager, alerts);
      await this.repository.saveFlags(tx.manager, updates);
      for (const alert of announced) {
        const dueAt = alerts.find((a) => a.ticketId === alert.ticket_id && a.metric === alert.metric && a.kind === alert.kind)!.dueAt;
        const event = { type: alert.kind === 'warning' ? ('sla.warning' as const) : ('sla.breached' as const), ticketId: alert.ticket_id, metric: alert.metric, dueAt };
        tx.afterCommit(() => this.events.publish(event));
      }
      return tickets.length;
    });
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
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
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly repository: SlaClockRepository,
    private readonly tx: TransactionService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('workers')) return;
    this.running = true;
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'sla.scheduled') this.wake?.();
    });
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.processDue();
        if (handled === BATCH) continue;
        const next = await this.repository.nextCheckAt();
        await this.sleep(next ? Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - Date.now())) : MAX_SLEEP_MS);
      } catch (error) {
        this.logger.error({ err: error }, 'SLA check failed; retrying');
        await this.sleep(1_000);
      }
    }
  }

  private async processDue(): Promise<number> {
    return this.tx.run(async (tx) => {
      const ids = await this.repository.claimDue(tx.manager, BATCH);
      const now = new Date();
      for (const id of ids) {
        const ticket = (await this.repository.ticket(tx.manager, id))!;
        const clocks = { ...ticket.sla_clocks };
        for (const metric of SLA_METRICS) {
          const clock = clocks[metric];
          if (!clock || clock.stoppedAt || !clock.dueAt) continue;
          const kinds: Array<'warning' | 'breached'> = [];
          if (!clock.warned && clock.warnAt && new Date(clock.warnAt) <= now) kinds.push('warning');
          if (!clock.breached && new Date(clock.dueAt) <= now) kinds.push('breached');
          for (const kind of kinds) {
            const first = await this.repository.recordEvent(tx.manager, id, ticket.sla_policy_id!, metric, kind, clock.dueAt);
            clocks[metric] = { ...clocks[metric]!, ...(kind === 'warning' ? { warned: true } : { breached: true }) };
            if (first) {
              const event = { type: kind === 'warning' ? ('sla.warning' as const) : ('sla.breached' as const), ticketId: id, metric, dueAt: clock.dueAt };
              tx.afterCommit(() => this.events.publish(event));
            }
          }
        }
        await this.repository.save(tx.manager, id, ticket.sla_policy_id!, clocks, slaState(clocks, now), nextCheckAt(clocks));
        tx.afterCommit(() => this.events.publish({ type: 'ticket.updated', ticketId: id }));
      }
      return ids.length;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AuditService } from '@pasokh/audit';
import { WakeableLoop } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvent, DomainEvents } from '@pasokh/events';
import { AssignmentRepository } from './assignment.repository';
import { chooseAgent } from './choose-agent';

// An agent closing a ticket makes room without an event we wake on (ticket.updated comes with every
// message): a sweep this often hands them the next waiting ticket.
const SWEEP_MS = 5_000;
const BATCH = 200;
// Under a burst of new tickets, rounds come at most this often (each takes the whole queue).
const MIN_GAP_MS = 200;
// Whether any channel assigns automatically, re-read this often (channel.saved on this instance: at once).
const AUTO_CHANNELS_TTL_MS = 30_000;

/**
 * On a channel that assigns automatically, unassigned open tickets go to an online agent: a member of
 * the ticket's team (a channel's team is set when the ticket is created, by a trigger), the least
 * loaded with room under the cap, round robin between equals. A ticket nobody can take waits and
 * goes to the next agent who comes online or makes room, oldest first. Rounds run on worker
 * instances, one instance at a time; a crash mid-round rolls back and the next round does it again.
 */
@Injectable()
export class AutoAssigner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AutoAssigner.name);
  private readonly loop = new WakeableLoop(this.logger, () => this.round(), SWEEP_MS);
  private unsubscribe: (() => void) | null = null;
  private lastRoundAt = 0;
  private autoChannels: { any: boolean; until: number } | null = null;

  constructor(
    private readonly tx: TransactionService,
    private readonly assignments: AssignmentRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('workers')) return;
    this.unsubscribe = this.events.subscribe((event: DomainEvent) => {
      if (event.type === 'channel.saved') this.autoChannels = null;
      if (event.type === 'ticket.created' || event.type === 'channel.saved' || event.type === 'agent.presence') this.loop.wake();
    });
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  private async round(): Promise<number> {
    // Most inboxes assign by hand: then a new ticket costs no query at all.
    if (!this.autoChannels || this.autoChannels.until < Date.now()) {
      this.autoChannels = { any: await this.assignments.anyAutoAssigning(), until: Date.now() + AUTO_CHANNELS_TTL_MS };
    }
    if (!this.autoChannels.any) return SWEEP_MS;
    const wait = this.lastRoundAt + MIN_GAP_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastRoundAt = Date.now();
    const assigned = await this.tx.run(async (tx) => {
      if (!(await this.assignments.takeTurn(tx.manager))) return 0;
      const candidates = await this.assignments.candidates(tx.manager);
      if (!candidates.length) return 0;
      const queue = await this.assignments.queue(tx.manager, [...new Set(candidates.flatMap((c) => c.teamIds))], BATCH);
      const now = new Date();
      let count = 0;
      for (const ticket of queue) {
        const agent = chooseAgent(candidates, ticket);
        if (!agent) continue;
        await this.assignments.assign(tx.manager, ticket.id, agent.agentId, now);
        agent.open++;
        agent.lastAssignedAt = now;
        await this.audit.record(tx.manager, { type: 'system', id: null }, {
          action: 'ticket.updated',
          entityType: 'ticket',
          entityId: ticket.id,
          data: { assigneeId: { from: null, to: agent.agentId }, reason: 'auto-assigned' },
        });
        tx.afterCommit(() => {
          this.events.publish({ type: 'ticket.updated', ticketId: ticket.id });
          this.events.publish({ type: 'ticket.assigned', ticketId: ticket.id, assigneeId: agent.agentId, byAgentId: null });
        });
        count++;
      }
      return count;
    });
    // A full batch may have left more behind it.
    return assigned === BATCH ? 0 : SWEEP_MS;
  }
}

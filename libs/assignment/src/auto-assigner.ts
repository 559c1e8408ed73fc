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

/**
 * A channel's new tickets go where the channel says (its assignment): to its team, and with auto
 * assignment to an online agent — the least loaded member with room, round robin between equals.
 * A ticket nobody can take waits, unassigned, and goes to the next agent who comes online or makes
 * room, oldest first. Rounds run on worker instances, one instance at a time; a crash mid-round
 * rolls back and the next round does it again, so no ticket is left half-routed.
 */
@Injectable()
export class AutoAssigner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AutoAssigner.name);
  private readonly loop = new WakeableLoop(this.logger, () => this.round(), SWEEP_MS);
  private unsubscribe: (() => void) | null = null;

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
      if (event.type === 'ticket.created' || event.type === 'channel.saved' || event.type === 'agent.presence') this.loop.wake();
    });
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  private async round(): Promise<number> {
    const handled = await this.tx.run(async (tx) => {
      if (!(await this.assignments.takeTurn(tx.manager))) return 0;
      const queue = await this.assignments.queue(tx.manager, BATCH);
      const candidates = queue.some((t) => t.autoAssign) ? await this.assignments.candidates(tx.manager) : [];
      const now = new Date();
      let changed = 0;
      for (const ticket of queue) {
        const teamId = ticket.teamId ?? ticket.routeTeamId;
        const agent = ticket.autoAssign ? chooseAgent(candidates, { teamId, maxOpenPerAgent: ticket.maxOpenPerAgent }) : null;
        if (!agent && teamId === ticket.teamId) continue;
        await this.assignments.apply(tx.manager, ticket.id, { teamId, assigneeId: agent?.agentId ?? null }, now);
        if (agent) {
          agent.open++;
          agent.lastAssignedAt = now;
        }
        await this.audit.record(tx.manager, { type: 'system', id: null }, {
          action: 'ticket.updated',
          entityType: 'ticket',
          entityId: ticket.id,
          data: {
            ...(teamId !== ticket.teamId ? { teamId: { from: ticket.teamId, to: teamId } } : {}),
            ...(agent ? { assigneeId: { from: null, to: agent.agentId } } : {}),
            reason: agent ? 'auto-assigned' : "routed to the channel's team",
          },
        });
        tx.afterCommit(() => this.events.publish({ type: 'ticket.updated', ticketId: ticket.id }));
        if (agent) {
          const assigneeId = agent.agentId;
          tx.afterCommit(() => this.events.publish({ type: 'ticket.assigned', ticketId: ticket.id, assigneeId, byAgentId: null }));
        }
        changed++;
      }
      return queue.length === BATCH && changed > 0 ? BATCH : changed;
    });
    return handled === BATCH ? 0 : SWEEP_MS;
  }
}

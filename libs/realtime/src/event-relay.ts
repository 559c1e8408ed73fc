import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AgentsRepository } from '@pasokh/agents';
import { DomainEvent, DomainEvents } from '@pasokh/events';
import { MessagesService } from '@pasokh/messages';
import { TicketsRepository, TicketsService } from '@pasokh/tickets';
import { rooms } from './agent-socket';
import { NamespaceHolder } from './namespace.holder';

/**
 * Turns committed domain events into socket.io pushes with the full API payloads. Events of one
 * ticket are sent in the order they were published (which is their commit order: the ticket's row
 * lock serialises its transactions); different tickets do not wait for each other. The adapter
 * carries each push to the sockets on every instance.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventRelay.name);
  private readonly queues = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: DomainEvents,
    private readonly namespace: NamespaceHolder,
    private readonly tickets: TicketsService,
    private readonly ticketsRepository: TicketsRepository,
    private readonly messages: MessagesService,
    private readonly agents: AgentsRepository,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.onEvent(event));
  }

  /** Waits for queued pushes, so a graceful shutdown sends what was committed. */
  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.queues.values());
  }

  private onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'ticket.created':
      case 'ticket.updated':
      case 'message.created':
      case 'message.updated':
        this.enqueue(event.ticketId, () => this.pushTicketEvent(event));
        return;
      case 'agent.access_changed':
        // The client reconnects; the handshake then applies the new role, teams or refusal.
        this.namespace.get()?.in(rooms.agent(event.agentId)).disconnectSockets(true);
        return;
      case 'token.revoked':
        this.namespace.get()?.in(rooms.token(event.tokenId)).disconnectSockets(true);
        return;
      case 'team.changed':
        void this.refreshTeamRoom(event.teamId).catch((error) => this.logger.error({ err: error }, 'team room refresh failed'));
        return;
      case 'outbox.enqueued':
        return;
    }
  }

  private enqueue(ticketId: string, push: () => Promise<void>): void {
    const previous = this.queues.get(ticketId) ?? Promise.resolve();
    const next = previous
      .then(push)
      .catch((error) => this.logger.error({ err: error, ticketId }, 'push failed'))
      .finally(() => {
        if (this.queues.get(ticketId) === next) this.queues.delete(ticketId);
      });
    this.queues.set(ticketId, next);
  }

  private async pushTicketEvent(event: Extract<DomainEvent, { ticketId: string }>): Promise<void> {
    const namespace = this.namespace.get();
    if (!namespace) return;
    const audience = await this.ticketsRepository.audience(event.ticketId);
    if (!audience) return; // deleted since
    const target = audience.restrictedTeamId ? [rooms.team(audience.restrictedTeamId), rooms.supervisors] : [rooms.allAgents];
    if (event.type === 'ticket.created' || event.type === 'ticket.updated') {
      namespace.to(target).emit(event.type, (await this.tickets.get(null, event.ticketId)));
      return;
    }
    const message = await this.messages.findDto((event as { messageId: string }).messageId);
    if (message) namespace.to(target).emit(event.type, message);
  }

  /** Team members or restriction changed: rebuild who is in the team's room, on every instance. */
  private async refreshTeamRoom(teamId: string): Promise<void> {
    const namespace = this.namespace.get();
    if (!namespace) return;
    namespace.in(rooms.team(teamId)).socketsLeave(rooms.team(teamId));
    const members = await this.agents.membersOfTeams([teamId]);
    for (const member of members) namespace.in(rooms.agent(member.agentId)).socketsJoin(rooms.team(teamId));
  }
}

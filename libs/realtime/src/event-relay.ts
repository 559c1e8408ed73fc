import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AgentsRepository } from '@pasokh/agents';
import { DomainEvent, DomainEvents } from '@pasokh/events';
import { MessageDto, MessagesService } from '@pasokh/messages';
import { TicketDto, TicketsService } from '@pasokh/tickets';
import { rooms } from './agent-socket';
import { BatchLoader } from './batch-loader';
import { Broadcaster } from './broadcaster';
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
  /** Per ticket: the groups of pushes running or waiting, as one promise chain. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Per ticket: the pushes published in the current callback, not yet a group. */
  private readonly gathering = new Map<string, Prepare[]>();
  private unsubscribe: (() => void) | null = null;
  private readonly ticketLoader: BatchLoader<{ ticket: TicketDto; restrictedTeamId: string | null }>;
  private readonly messageLoader: BatchLoader<{ message: MessageDto; restrictedTeamId: string | null }>;

  constructor(
    private readonly events: DomainEvents,
    private readonly namespace: NamespaceHolder,
    private readonly broadcaster: Broadcaster,
    tickets: TicketsService,
    messages: MessagesService,
    private readonly agents: AgentsRepository,
  ) {
    this.ticketLoader = new BatchLoader((ids) => tickets.forPush(ids));
    this.messageLoader = new BatchLoader((ids) => messages.forPush(ids));
  }

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.onEvent(event));
  }

  /** Waits for queued pushes, so a graceful shutdown sends what was committed. */
  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await new Promise((resolve) => process.nextTick(resolve)); // the last callback's pushes become a group
    await Promise.all(this.queues.values());
    this.broadcaster.flush();
  }

  private onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'ticket.created':
      case 'ticket.updated':
      case 'message.created':
      case 'message.updated':
        this.enqueue(event.ticketId, () => this.prepareTicketEvent(event));
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
      case 'sla.warning':
      case 'sla.breached':
        this.enqueue(event.ticketId, () => this.prepareSlaAlert(event));
        return;
      case 'ticket.assigned':
        this.enqueue(event.ticketId, () => this.prepareAssignedNotice(event));
        return;
      case 'customer.typing':
        // agentId null: the customer, shown in the conversation's typing line like an agent.
        this.namespace.get()?.to(rooms.ticket(event.ticketId)).emit('typing', { ticketId: event.ticketId, agentId: null, customerId: event.customerId, name: event.name, isTyping: event.isTyping });
        return;
      case 'agent.typing':
      case 'agent.presence':
      case 'ticket.resolved':
      case 'outbox.enqueued':
      case 'sla.scheduled':
      case 'channel.saved':
        return;
    }
  }

  /**
   * Events of one ticket published together (one commit's ticket.updated and message.created) form
   * a group: its payloads load in parallel and are emitted together, in publication order, so they
   * share a frame. Groups of one ticket run one after another, each loading after the previous one
   * was emitted, so a client never sees a ticket's state go backwards.
   */
  private enqueue(ticketId: string, prepare: Prepare): void {
    const gathering = this.gathering.get(ticketId);
    if (gathering) {
      gathering.push(prepare);
      return;
    }
    const group = [prepare];
    this.gathering.set(ticketId, group);
    process.nextTick(() => {
      this.gathering.delete(ticketId);
      const previous = this.queues.get(ticketId) ?? Promise.resolve();
      const next = previous
        .then(() => this.runGroup(ticketId, group))
        .finally(() => {
          if (this.queues.get(ticketId) === next) this.queues.delete(ticketId);
        });
      this.queues.set(ticketId, next);
    });
  }

  private async runGroup(ticketId: string, group: Prepare[]): Promise<void> {
    const prepared = await Promise.allSettled(group.map((prepare) => prepare()));
    for (const result of prepared) {
      if (result.status === 'rejected') this.logger.error({ err: result.reason, ticketId }, 'push failed');
      else result.value?.();
    }
  }

  private async prepareTicketEvent(event: Extract<DomainEvent, { ticketId: string }>): Promise<Emit | null> {
    if (event.type === 'ticket.created' || event.type === 'ticket.updated') {
      const found = await this.ticketLoader.load(event.ticketId);
      return found && (() => this.broadcaster.emit(audience(found.restrictedTeamId), event.type, found.ticket));
    }
    const found = await this.messageLoader.load((event as { messageId: string }).messageId);
    return found && (() => this.broadcaster.emit(audience(found.restrictedTeamId), event.type, found.message));
  }

  /** `sla.warning` / `sla.breached`: which clock, its due instant, and the full ticket. */
  private async prepareSlaAlert(event: Extract<DomainEvent, { type: 'sla.warning' | 'sla.breached' }>): Promise<Emit | null> {
    const found = await this.ticketLoader.load(event.ticketId);
    return found && (() => this.broadcaster.emit(audience(found.restrictedTeamId), event.type, { metric: event.metric, dueAt: event.dueAt, ticket: found.ticket }));
  }

  /** `ticket.assigned` to the assignee's own sockets only: the ticket and who gave it (null: auto assignment). */
  private async prepareAssignedNotice(event: Extract<DomainEvent, { type: 'ticket.assigned' }>): Promise<Emit | null> {
    const [found, by] = await Promise.all([this.ticketLoader.load(event.ticketId), event.byAgentId ? this.agents.findById(event.byAgentId) : null]);
    // Reassigned again before this went out: the earlier assignee gets no stale notice.
    if (!found || found.ticket.assigneeId !== event.assigneeId) return null;
    const payload = { ticket: found.ticket, by: by ? { id: by.id, name: by.name } : null };
    return () => this.namespace.get()?.to(rooms.agent(event.assigneeId)).emit('ticket.assigned', payload);
  }

  /** Team members or restriction changed: rebuild who is in the team's rooms, on every instance. */
  private async refreshTeamRoom(teamId: string): Promise<void> {
    const namespace = this.namespace.get();
    if (!namespace) return;
    const room = rooms.team(teamId);
    namespace.in(room).socketsLeave(room);
    namespace.in(rooms.batched(room)).socketsLeave(rooms.batched(room));
    const members = await this.agents.membersOfTeams([teamId]);
    if (!members.length) return;
    for (const socket of await namespace.in(members.map((m) => rooms.agent(m.agentId))).fetchSockets()) {
      socket.join(socket.data.batch ? rooms.batched(room) : room);
    }
  }
}

/** Loads a push's payload; resolves with the emit, or null when the ticket or message is gone. */
type Prepare = () => Promise<Emit | null>;
type Emit = () => void;

/** A restricted team's ticket goes to that team and the supervisors; every other ticket to all agents. */
function audience(restrictedTeamId: string | null): string[] {
  return restrictedTeamId ? [rooms.team(restrictedTeamId), rooms.supervisors] : [rooms.allAgents];
}

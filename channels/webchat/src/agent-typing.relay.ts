import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@pasokh/events';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { VisitorRooms } from './visitor-rooms';

/**
 * "Nasrin is typing…" in the visitor's chat: an agent writing a reply (never a note: the composer
 * signals only replies) on a web chat ticket. A signal, not state: lost ones cost nothing, the widget
 * forgets it after a few seconds without a heartbeat.
 */
@Injectable()
export class AgentTypingRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AgentTypingRelay.name);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: DomainEvents,
    private readonly visitorMessages: VisitorMessagesRepository,
    private readonly rooms: VisitorRooms,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type !== 'agent.typing') return;
      this.visitorMessages.visitorsOf(event.ticketId).then(
        (visitors) => visitors.forEach((v) => this.rooms.typing(v.channel_id, v.visitor_id, { agentName: event.name, isTyping: event.isTyping })),
        (error: unknown) => this.logger.warn({ err: error }, 'typing signal not relayed'),
      );
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}

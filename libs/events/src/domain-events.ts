import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** Facts the domain publishes after their transaction commits. Realtime and workers listen. */
export type DomainEvent =
  | { type: 'ticket.created'; ticketId: string }
  | { type: 'ticket.updated'; ticketId: string }
  | { type: 'message.created'; ticketId: string; messageId: string }
  | { type: 'message.updated'; ticketId: string; messageId: string }
  | { type: 'outbox.enqueued' };

@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  publish(event: DomainEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

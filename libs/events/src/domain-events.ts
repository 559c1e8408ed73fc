import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * Facts the domain publishes after their transaction commits (and live signals — typing, presence —
 * that nothing stores). Realtime and workers listen.
 */
export type DomainEvent =
  | { type: 'ticket.created'; ticketId: string }
  | { type: 'ticket.updated'; ticketId: string }
  | { type: 'message.created'; ticketId: string; messageId: string }
  | { type: 'message.updated'; ticketId: string; messageId: string }
  | { type: 'outbox.enqueued' }
  /** A clock passed its warning or due instant (announced once, by one instance). */
  | { type: 'sla.warning' | 'sla.breached'; ticketId: string; metric: string; dueAt: string }
  /** A ticket's next SLA instant was set: the scheduler may need to wake sooner. */
  | { type: 'sla.scheduled' }
  /** The agent's access changed (deactivated, role or teams changed): their sockets reconnect. */
  | { type: 'agent.access_changed'; agentId: string }
  /** A session or API token was revoked: sockets opened with it are closed. */
  | { type: 'token.revoked'; tokenId: string }
  /** A channel was created or its config changed (pull channels restart their listener). */
  | { type: 'channel.saved'; channelId: string }
  /** A team's members or restriction changed. */
  | { type: 'team.changed'; teamId: string }
  /** An agent resolved a ticket (a satisfaction survey may follow). */
  | { type: 'ticket.resolved'; ticketId: string; byAgentId: string }
  /** A ticket was given to an agent by someone else (a colleague: byAgentId; the auto-assigner: null). */
  | { type: 'ticket.assigned'; ticketId: string; assigneeId: string; byAgentId: string | null }
  /** An agent started or stopped writing a reply on a ticket (not a note): the customer's chat may show it. */
  | { type: 'agent.typing'; ticketId: string; agentId: string; name: string; isTyping: boolean }
  /** An agent came online, went away or left (the auto-assigner hands waiting tickets to who is here). */
  | { type: 'agent.presence'; agentId: string; status: 'online' | 'away' | 'offline' }
  /** A customer is writing in a live chat (the web chat): the agents viewing the ticket see it. */
  | { type: 'customer.typing'; ticketId: string; customerId: string; name: string | null; isTyping: boolean };

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

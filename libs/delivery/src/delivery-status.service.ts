import { Injectable, Logger } from '@nestjs/common';
import { DeliveryEvent } from '@pasokh/channel-core';
import { DomainEvents } from '@pasokh/events';
import { MessagesRepository } from '@pasokh/messages';

// A callback can beat the worker's own record of the provider's id by a few milliseconds.
const RETRIES = [200, 500, 1000];

/**
 * Provider callbacks (Twilio status, WhatsApp statuses) move our outbound messages forward:
 * queued → sent → delivered → read, or failed with the reason. A late or repeated callback never
 * moves a message backwards.
 */
@Injectable()
export class DeliveryStatusService {
  private readonly logger = new Logger(DeliveryStatusService.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly events: DomainEvents,
  ) {}

  async apply(channelId: string, updates: DeliveryEvent[]): Promise<void> {
    for (const update of updates) await this.applyOne(channelId, update);
  }

  private async applyOne(channelId: string, update: DeliveryEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.messages.advanceDelivery(channelId, update.providerMessageId, update.status, update.error ?? null);
      if (outcome === 'unknown' && attempt < RETRIES.length) {
        await new Promise((resolve) => setTimeout(resolve, RETRIES[attempt]));
        continue;
      }
      if (outcome === 'unknown') this.logger.warn({ channelId, providerMessageId: update.providerMessageId }, 'delivery status for a message we did not send');
      if (typeof outcome === 'object') this.events.publish({ type: 'message.updated', ticketId: outcome.ticketId, messageId: outcome.messageId });
      return;
    }
  }
}

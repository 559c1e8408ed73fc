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

  /**
   * Applies what it can at once; an update for an id we do not know yet is retried in the background,
   * so receipts for messages sent outside Pasokh (e.g. from the Page inbox) never hold up the webhook.
   */
  async apply(channelId: string, updates: DeliveryEvent[]): Promise<void> {
    for (const update of updates) {
      if ((await this.applyOnce(channelId, update)) === 'unknown') void this.retry(channelId, update);
    }
  }

  private async applyOnce(channelId: string, update: DeliveryEvent): Promise<'unknown' | 'done'> {
    const outcome = await this.messages.advanceDelivery(channelId, update.providerMessageId, update.status, update.error ?? null);
    if (outcome === 'unknown') return 'unknown';
    if (typeof outcome === 'object') this.events.publish({ type: 'message.updated', ticketId: outcome.ticketId, messageId: outcome.messageId });
    return 'done';
  }

  private async retry(channelId: string, update: DeliveryEvent): Promise<void> {
    for (const delay of RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        if ((await this.applyOnce(channelId, update)) === 'done') return;
      } catch (error) {
        this.logger.error({ err: error }, 'delivery status update failed');
        return;
      }
    }
    this.logger.warn({ channelId, providerMessageId: update.providerMessageId }, 'delivery status for a message we did not send');
  }
}

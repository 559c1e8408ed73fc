import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChannelAdapterRegistry, ChannelsService, DeliveryError, OutboundMessage } from '@pasokh/channel-core';
import { WakeableLoop } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { AttachmentStorage, DELIVER_MESSAGE, MessagesRepository } from '@pasokh/messages';
import { OutboxItemEntity, OutboxRepository } from '@pasokh/outbox';

// Longer than any adapter's own timeout, so a live worker never loses its claim mid-send.
const LEASE_MS = 120_000;
const BATCH = 10;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Sends queued replies through their channel's adapter. Claims outbox rows (SKIP LOCKED, with a
 * lease), so any number of instances can run it; retries with exponential backoff, then marks the
 * message failed with the provider's reason. Delivery is at least once: a crash after the provider
 * accepted a message but before we recorded it sends it again (the API channel's X-Pasokh-Delivery
 * header lets receivers drop that copy).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly loop = new WakeableLoop(this.logger, () => this.round(), this.config.outbox.pollIntervalMs);
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsService,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly storage: AttachmentStorage,
    private readonly tx: TransactionService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('workers')) return;
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type === 'outbox.enqueued') this.loop.wake();
    });
    this.loop.start();
  }

  /** Stops claiming, and waits for the deliveries in flight to be recorded. */
  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  /** Delivers a batch; sleeps until the next row is due (at most the poll interval) when idle. */
  private async round(): Promise<number> {
    const items = await this.outbox.claim(BATCH, LEASE_MS);
    await Promise.all(items.map((item) => this.process(item)));
    if (items.length === BATCH) return 0;
    const due = await this.outbox.nextDueAt();
    const poll = this.config.outbox.pollIntervalMs;
    return due ? Math.max(0, Math.min(poll, due.getTime() - Date.now())) : poll;
  }

  private async process(item: OutboxItemEntity): Promise<void> {
    if (item.kind !== DELIVER_MESSAGE) {
      await this.tx.run(({ manager }) => this.outbox.fail(manager, item.id, `no worker for outbox kind ${item.kind}`));
      return;
    }
    const messageId = String(item.payload.messageId);
    try {
      const { channelId, outbound } = await this.buildOutbound(messageId);
      const { channel } = await this.channels.resolve(channelId);
      const result = await this.adapters.get(channel.type).send(channel, outbound);
      await this.tx.run(async ({ manager, afterCommit }) => {
        await this.messages.updateDelivery(manager, messageId, { deliveryStatus: 'sent', error: null, providerMessageId: result.providerMessageId, sentAt: new Date() });
        await this.outbox.complete(manager, item.id);
        afterCommit(() => this.events.publish({ type: 'message.updated', ticketId: outbound.ticketId, messageId }));
      });
    } catch (error) {
      await this.recordFailure(item, messageId, error);
    }
  }

  private async recordFailure(item: OutboxItemEntity, messageId: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    if (!(error instanceof DeliveryError)) this.logger.error({ err: error, messageId }, 'delivery failed unexpectedly');
    const message = await this.messages.findById(messageId);
    if (permanent || item.attempts >= this.config.outbox.maxAttempts || !message) {
      await this.tx.run(async ({ manager, afterCommit }) => {
        await this.outbox.fail(manager, item.id, reason);
        if (!message) return;
        await this.messages.updateDelivery(manager, messageId, { deliveryStatus: 'failed', error: reason });
        afterCommit(() => this.events.publish({ type: 'message.updated', ticketId: message.ticketId, messageId }));
      });
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, this.config.outbox.backoffBaseMs * 2 ** (item.attempts - 1));
    await this.messages.updateDelivery(undefined, messageId, { error: `attempt ${item.attempts} failed, retrying: ${reason}` });
    await this.outbox.retryLater(item.id, reason, new Date(Date.now() + delay));
    this.events.publish({ type: 'message.updated', ticketId: message.ticketId, messageId });
  }

  private async buildOutbound(messageId: string): Promise<{ channelId: string; outbound: OutboundMessage }> {
    const context = await this.messages.outboundContext(messageId);
    if (!context) throw new DeliveryError(`message ${messageId} no longer exists`, true);
    if (!context.externalId) throw new DeliveryError('the customer has no identity on this channel to reply to', true);
    const attachments = await this.messages.attachmentsOf([messageId]);
    return {
      channelId: context.channelId,
      outbound: {
        messageId,
        ticketId: context.ticketId,
        ticketNumber: context.ticketNumber,
        subject: context.subject,
        threadKey: context.threadKey,
        inReplyTo: context.inReplyTo,
        references: context.references,
        to: { externalId: context.externalId, name: context.customerName, email: context.email, phone: context.phone },
        text: context.text,
        html: context.html,
        attachments: attachments
          .filter((a) => a.storageKey)
          .map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, read: () => this.storage.get(a.storageKey!) })),
        agent: context.agentId ? { id: context.agentId, name: context.agentName ?? '' } : null,
        quickReplies: context.quickReplies ?? [],
        automatic: context.automatic,
      },
    };
  }
}

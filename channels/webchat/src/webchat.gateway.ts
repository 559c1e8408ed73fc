import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { ResolvedChannel } from '@pasokh/channel-core';
import { DomainException } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DeliveryStatusService } from '@pasokh/delivery';
import { DomainEvents } from '@pasokh/events';
import { IngestService } from '@pasokh/ingest';
import { Ack, ClientEvents, fail } from '@pasokh/realtime';
import { BusinessHours } from '@pasokh/sla';
import type { Namespace, Socket } from 'socket.io';
import { WebchatConfig } from './webchat-config';
import { Refusal, VisitorAdmission } from './visitor-admission';
import { CLIENT_MESSAGE_ID, visitorEmail, visitorName } from './visitor-input';
import { VisitorMessagesRepository } from './visitor-messages.repository';
import { VisitorMessage, VisitorRooms } from './visitor-rooms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 10_000;

interface VisitorData {
  channel: ResolvedChannel<WebchatConfig>;
  visitorId: string;
  visitorToken: string;
  name: string | null;
  email: string | null;
}
type VisitorSocket = Socket<Record<string, (...args: any[]) => void>, Record<string, (...args: any[]) => void>, Record<string, never>, VisitorData>;

/**
 * Website visitors. The handshake names the channel (`auth.channelId`) and, for a returning visitor,
 * the token we gave them; a new visitor gets one in the `session` event. Messages go through the same
 * ingest as every channel: `message.send` with the widget's own id for the message, so a resend after a
 * dropped connection is stored once.
 */
@WebSocketGateway({ namespace: '/webchat' })
export class WebchatGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(WebchatGateway.name);
  private readonly maxFileBytes: number;
  // A person types a few messages a minute; a script in a loop is cut off.
  private readonly clientEvents = new ClientEvents<VisitorSocket>(this.logger, { burst: 10, perSecond: 2, maxRejected: 50 });

  constructor(
    private readonly admission: VisitorAdmission,
    private readonly ingest: IngestService,
    private readonly visitorMessages: VisitorMessagesRepository,
    private readonly deliveryStatus: DeliveryStatusService,
    private readonly events: DomainEvents,
    private readonly rooms: VisitorRooms,
    private readonly businessHours: BusinessHours,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxFileBytes = config.maxAttachmentBytes;
  }

  afterInit(namespace: Namespace): void {
    this.rooms.attach(namespace);
    namespace.use((socket, next) => {
      this.admit(socket as VisitorSocket).then(
        () => next(),
        (error: unknown) => {
          const known = error instanceof Refusal;
          const refusal = new Error(known ? error.message : 'the chat is not available') as Error & { data: unknown };
          refusal.data = { code: known ? error.code : 'UNAVAILABLE' };
          if (!known) this.logger.error({ err: error }, 'webchat handshake failed');
          next(refusal);
        },
      );
    });
  }

  async handleConnection(socket: VisitorSocket): Promise<void> {
    const { channel, visitorId, visitorToken } = socket.data;
    if (!channel) return;
    await socket.join(VisitorRooms.room(channel.id, visitorId));
    socket.emit('session', {
      visitorId,
      visitorToken,
      title: channel.config.title ?? channel.name,
      greeting: channel.config.greeting,
      // Larger files are refused by the upload (413): the widget says so before sending.
      maxFileBytes: this.maxFileBytes,
      away: await this.away(channel),
    });
  }

  @SubscribeMessage('message.send')
  send(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: unknown): Promise<Ack<{ message: VisitorMessage }>> {
    return this.clientEvents.run(socket, async () => {
      const input = (body ?? {}) as { clientMessageId?: unknown; text?: unknown; name?: unknown; email?: unknown };
      if (typeof input.clientMessageId !== 'string' || !CLIENT_MESSAGE_ID.test(input.clientMessageId)) {
        return fail('VALIDATION_FAILED', 'clientMessageId must be 1–100 letters, digits, - or _');
      }
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (!text || text.length > MAX_TEXT) return fail('VALIDATION_FAILED', `text must be 1–${MAX_TEXT} characters`);
      const { channel, visitorId } = socket.data;
      socket.data.name = visitorName(input.name) ?? socket.data.name;
      socket.data.email = visitorEmail(input.email) ?? socket.data.email;
      const result = await this.ingest.ingest(channel, {
        externalMessageId: `${visitorId}:${input.clientMessageId}`,
        from: { externalId: visitorId, name: socket.data.name, email: socket.data.email },
        text,
      });
      const message: VisitorMessage = { id: result.messageId, direction: 'inbound', text, createdAt: new Date().toISOString(), agentName: null, attachments: [] };
      // The visitor's other tabs show it too.
      if (!result.duplicate) socket.to(VisitorRooms.room(channel.id, visitorId)).emit('message', message);
      return { ok: true as const, message };
    });
  }

  @SubscribeMessage('history')
  recent(@ConnectedSocket() socket: VisitorSocket): Promise<Ack<{ messages: VisitorMessage[] }>> {
    return this.clientEvents.run(socket, async () => ({ ok: true as const, messages: await this.visitorMessages.recent(socket.data.channel.id, socket.data.visitorId) }));
  }

  /** The widget received replies (`delivered`) or showed them to the visitor (`read`): their status moves forward. */
  @SubscribeMessage('message.seen')
  seen(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.clientEvents.run(socket, async () => {
      const { ids, status } = (body ?? {}) as { ids?: unknown; status?: unknown };
      if (status !== 'delivered' && status !== 'read') return fail('VALIDATION_FAILED', 'status must be delivered or read');
      if (!Array.isArray(ids) || !ids.length || ids.length > 100 || !ids.every((id) => typeof id === 'string' && UUID.test(id))) {
        return fail('VALIDATION_FAILED', 'ids must be 1–100 message ids');
      }
      const { channel, visitorId } = socket.data;
      const own = await this.visitorMessages.repliesTo(channel.id, visitorId, ids as string[]);
      await this.deliveryStatus.apply(channel.id, own.map((id) => ({ providerMessageId: id, status })));
      return { ok: true as const };
    });
  }

  /** The visitor is writing: the agents viewing their current ticket see it (repeat it as a heartbeat). */
  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: VisitorSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.clientEvents.run(socket, async () => {
      const isTyping = (body as { isTyping?: unknown })?.isTyping;
      if (typeof isTyping !== 'boolean') return fail('VALIDATION_FAILED', 'isTyping must be a boolean');
      const ticket = await this.visitorMessages.currentTicket(socket.data.channel.id, socket.data.visitorId);
      // Before their first message there is no ticket to show it on.
      if (ticket) this.events.publish({ type: 'customer.typing', ticketId: ticket.id, customerId: ticket.customer_id, name: ticket.name, isTyping });
      return { ok: true as const };
    });
  }

  /** Outside the channel's business hours: when the team is back, and the channel's own words for it. */
  private async away(channel: ResolvedChannel<WebchatConfig>): Promise<{ opensAt: string | null; message: string | null } | null> {
    if (!channel.config.calendarId) return null;
    const state = await this.businessHours.state(channel.config.calendarId).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'business hours not read');
      return null;
    });
    if (!state || state.open) return null;
    return { opensAt: state.opensAt?.toISOString() ?? null, message: channel.config.awayMessage };
  }

  /** Channel, origin and visitor checks; refusals carry a code the widget can act on. */
  private async admit(socket: VisitorSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as { channelId?: unknown; visitorToken?: unknown; name?: unknown; email?: unknown };
    const channel = await this.admission.channel(auth.channelId, socket.handshake.headers.origin);
    const visitor = this.admission.visitor(channel.id, auth.visitorToken, true);
    socket.data = {
      channel,
      visitorId: visitor.visitorId,
      visitorToken: visitor.token,
      name: visitorName(auth.name),
      email: visitorEmail(auth.email),
    };
  }
}

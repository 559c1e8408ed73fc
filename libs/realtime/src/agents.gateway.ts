import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { AgentsRepository, PresenceStatus } from '@pasokh/agents';
import { AuthService, bearerToken } from '@pasokh/auth';
import { DomainException } from '@pasokh/common';
import { TicketsService } from '@pasokh/tickets';
import { AgentSocket, AgentsNamespace, rooms } from './agent-socket';
import { Ack, ClientEvents, fail } from './client-events';
import { CollisionService } from './collision.service';
import { NamespaceHolder } from './namespace.holder';
import { PresenceService } from './presence.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Sessions can expire or be revoked on another instance while a socket is open.
const REVALIDATE_MS = 60_000;

/**
 * The agents' real-time namespace. Handshake auth with the REST API's bearer tokens; every client
 * event is validated, rate-limited and answered with an acknowledgement, and never throws.
 */
@WebSocketGateway({ namespace: '/agents' })
export class AgentsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(AgentsGateway.name);
  private readonly clientEvents = new ClientEvents<AgentSocket>(this.logger, { burst: 30, perSecond: 15, maxRejected: 200 });
  private revalidator: NodeJS.Timeout | null = null;

  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsRepository,
    private readonly tickets: TicketsService,
    private readonly presence: PresenceService,
    private readonly collisions: CollisionService,
    private readonly holder: NamespaceHolder,
  ) {}

  afterInit(namespace: AgentsNamespace): void {
    this.holder.set(namespace);
    namespace.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown })?.token;
      this.auth
        .authenticate(typeof token === 'string' ? token : bearerToken(socket.handshake.headers.authorization))
        .then((principal) => {
          socket.data.principal = principal;
          socket.data.views ??= {};
          socket.data.batch = (socket.handshake.auth as { batch?: unknown })?.batch === true;
          next();
        })
        .catch((error: unknown) => {
          const refusal = new Error(error instanceof DomainException ? error.message : 'authentication failed') as Error & { data: unknown };
          refusal.data = { code: error instanceof DomainException ? error.code : 'UNAUTHENTICATED' };
          next(refusal);
        });
    });
    this.revalidator = setInterval(() => void this.revalidate(namespace), REVALIDATE_MS).unref();
  }

  onModuleDestroy(): void {
    if (this.revalidator) clearInterval(this.revalidator);
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    try {
      const { principal } = socket.data;
      const teams = await this.agents.teamIdsByAgent([principal.agentId]);
      const audience = [rooms.allAgents, ...(principal.role === 'agent' ? [] : [rooms.supervisors]), ...teams.map((t) => rooms.team(t.teamId))];
      await socket.join([
        rooms.agent(principal.agentId),
        rooms.token(principal.tokenId),
        ...(socket.data.batch ? audience.map(rooms.batched) : audience),
      ]);
      // A client that tried to resume (it sends its previous session id) but was gone longer than the
      // recovery window has missed events: it must refetch.
      if ((socket.handshake.auth as { pid?: unknown })?.pid && !socket.recovered) {
        socket.emit('resync', { reason: 'disconnected longer than the recovery window; refetch' });
      }
      await this.presence.connected(socket);
      // Sent as a broadcast to the socket's own room so it carries a recovery offset: a client that
      // drops before any other event can still resume from here.
      socket.nsp.to(socket.id).emit('ready', { agentId: principal.agentId, recovered: socket.recovered });
    } catch (error) {
      this.logger.error({ err: error }, 'connection setup failed');
      socket.disconnect(true);
    }
  }

  async handleDisconnect(socket: AgentSocket): Promise<void> {
    if (!socket.data.principal) return;
    try {
      await this.collisions.disconnected(socket);
      await this.presence.disconnected(socket);
    } catch (error) {
      this.logger.error({ err: error }, 'disconnect cleanup failed');
    }
  }

  @SubscribeMessage('ticket.view')
  view(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, async () => {
      const ticketId = await this.visibleTicketId(socket, body);
      await this.collisions.view(socket, ticketId);
      return { ok: true, viewers: await this.collisions.viewers(ticketId) } as Ack;
    });
  }

  @SubscribeMessage('ticket.leave')
  leave(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, async () => {
      const ticketId = ticketIdOf(body);
      if (!ticketId) return fail('VALIDATION_FAILED', 'ticketId must be a UUID');
      await this.collisions.leave(socket, ticketId);
      return { ok: true };
    });
  }

  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, async () => {
      const isTyping = (body as { isTyping?: unknown })?.isTyping;
      if (typeof isTyping !== 'boolean') return fail('VALIDATION_FAILED', 'isTyping must be a boolean');
      const ticketId = await this.visibleTicketId(socket, body);
      await this.collisions.typing(socket, ticketId, isTyping);
      return { ok: true };
    });
  }

  @SubscribeMessage('presence.set')
  setPresence(@ConnectedSocket() socket: AgentSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, async () => {
      const status = (body as { status?: unknown })?.status;
      if (status !== 'online' && status !== 'away' && status !== 'offline') {
        return fail('VALIDATION_FAILED', 'status must be online, away or offline');
      }
      await this.presence.set(socket.data.principal.agentId, status as PresenceStatus);
      return { ok: true };
    });
  }

  private handle<T extends object>(socket: AgentSocket, work: () => Promise<Ack<T>>): Promise<Ack<T>> {
    return this.clientEvents.run(socket, work);
  }

  /** The ticket id from a client event, if the agent may see that ticket (else TICKET_NOT_FOUND). */
  private async visibleTicketId(socket: AgentSocket, body: unknown): Promise<string> {
    const ticketId = ticketIdOf(body);
    if (!ticketId) throw new InvalidEvent('ticketId must be a UUID');
    await this.tickets.assertVisible(socket.data.principal, ticketId);
    return ticketId;
  }

  private async revalidate(namespace: AgentsNamespace): Promise<void> {
    for (const socket of namespace.sockets.values()) {
      const tokenOk = await this.auth.isValid(socket.data.principal.tokenId).catch(() => true);
      if (!tokenOk) socket.disconnect(true);
    }
  }
}

function ticketIdOf(body: unknown): string | null {
  const ticketId = (body as { ticketId?: unknown })?.ticketId;
  return typeof ticketId === 'string' && UUID.test(ticketId) ? ticketId : null;
}

class InvalidEvent extends DomainException {
  constructor(message: string) {
    super('VALIDATION_FAILED', message, 400);
  }
}

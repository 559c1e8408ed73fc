import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DomainEvents } from '@pasokh/events';
import { AgentSocket, rooms } from './agent-socket';
import { NamespaceHolder } from './namespace.holder';

export interface Viewer {
  agentId: string;
  name: string;
  replying: boolean;
  since: string;
}

/**
 * Collision detection: who has a ticket open and who is replying, so two agents never answer one
 * customer unknowingly. State sits on each socket (socket.data.views); `viewing` lists are built from
 * the ticket room's sockets on every instance (fetchSockets), so it holds across instances too.
 * Entries expire without a heartbeat: `ticket.view` again to stay, `typing` again to keep replying.
 */
@Injectable()
export class CollisionService implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly namespace: NamespaceHolder,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const every = Math.max(250, Math.min(this.config.realtime.typingTtlMs, this.config.realtime.viewingTtlMs) / 4);
    this.sweeper = setInterval(() => void this.sweep(), every).unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  async view(socket: AgentSocket, ticketId: string): Promise<void> {
    const existing = socket.data.views[ticketId];
    const now = Date.now();
    socket.data.views[ticketId] = { since: existing?.since ?? now, seenAt: now, typingUntil: existing?.typingUntil ?? null };
    if (existing) return; // a heartbeat: nothing changed for the others
    await socket.join(rooms.ticket(ticketId));
    await this.broadcastViewers(ticketId);
  }

  async leave(socket: AgentSocket, ticketId: string): Promise<void> {
    if (!socket.data.views[ticketId]) return;
    if (socket.data.views[ticketId].typingUntil) this.relayTyping(socket, ticketId, false);
    delete socket.data.views[ticketId];
    await socket.leave(rooms.ticket(ticketId));
    await this.broadcastViewers(ticketId);
  }

  async typing(socket: AgentSocket, ticketId: string, isTyping: boolean): Promise<void> {
    if (!socket.data.views[ticketId]) await this.view(socket, ticketId);
    const view = socket.data.views[ticketId];
    const wasTyping = view.typingUntil !== null;
    view.seenAt = Date.now();
    view.typingUntil = isTyping ? Date.now() + this.config.realtime.typingTtlMs : null;
    if (wasTyping === isTyping) return;
    this.relayTyping(socket, ticketId, isTyping);
    await this.broadcastViewers(ticketId);
  }

  /** A socket went away: its tickets' viewer lists change (it has already left their rooms). */
  async disconnected(socket: AgentSocket): Promise<void> {
    for (const ticketId of Object.keys(socket.data.views ?? {})) {
      if (socket.data.views[ticketId].typingUntil) this.relayTyping(socket, ticketId, false);
      await this.broadcastViewers(ticketId);
    }
  }

  async viewers(ticketId: string): Promise<Viewer[]> {
    const namespace = this.namespace.get();
    if (!namespace) return [];
    const sockets = await namespace.in(rooms.ticket(ticketId)).fetchSockets();
    const now = Date.now();
    const byAgent = new Map<string, Viewer>();
    for (const socket of sockets) {
      const view = socket.data.views?.[ticketId];
      if (!view) continue;
      const { agentId, name } = socket.data.principal;
      const replying = view.typingUntil !== null && view.typingUntil > now;
      const since = new Date(view.since).toISOString();
      const seen = byAgent.get(agentId);
      byAgent.set(agentId, { agentId, name, replying: replying || (seen?.replying ?? false), since: seen && seen.since < since ? seen.since : since });
    }
    return [...byAgent.values()].sort((a, b) => a.since.localeCompare(b.since));
  }

  private async broadcastViewers(ticketId: string): Promise<void> {
    const agents = await this.viewers(ticketId);
    this.namespace.get()?.to(rooms.ticket(ticketId)).emit('viewing', { ticketId, agents });
  }

  private relayTyping(socket: AgentSocket, ticketId: string, isTyping: boolean): void {
    const { agentId, name } = socket.data.principal;
    socket.to(rooms.ticket(ticketId)).emit('typing', { ticketId, agentId, name, isTyping });
    this.events.publish({ type: 'agent.typing', ticketId, agentId, name, isTyping });
  }

  /** Expires views and typing on this instance's sockets that stopped sending heartbeats. */
  private async sweep(): Promise<void> {
    const namespace = this.namespace.get();
    if (!namespace) return;
    const now = Date.now();
    for (const socket of namespace.sockets.values() as IterableIterator<AgentSocket>) {
      for (const [ticketId, view] of Object.entries(socket.data.views ?? {})) {
        if (now - view.seenAt > this.config.realtime.viewingTtlMs) {
          await this.leave(socket, ticketId).catch(() => undefined);
        } else if (view.typingUntil !== null && view.typingUntil <= now) {
          view.typingUntil = null;
          this.relayTyping(socket, ticketId, false);
          await this.broadcastViewers(ticketId).catch(() => undefined);
        }
      }
    }
  }
}

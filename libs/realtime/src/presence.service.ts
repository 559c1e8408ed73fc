import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PresenceRepository, PresenceStatus } from '@pasokh/agents';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { DomainEvents } from '@pasokh/events';
import { randomUUID } from 'node:crypto';
import { AgentSocket, rooms } from './agent-socket';
import { Broadcaster } from './broadcaster';

const HEARTBEAT_MS = 30_000;

/**
 * online / away / offline per agent, the same on every instance (the state is in the database).
 * Several tabs count as one agent; a dropped socket keeps its agent online for a grace period, so a
 * reload or a network blip does not flap. `presence.updated` is pushed when an agent's status changes.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PresenceService.name);
  readonly instanceId = randomUUID();
  private readonly lastSent = new Map<string, PresenceStatus>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly presence: PresenceRepository,
    private readonly broadcaster: Broadcaster,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const timer of this.graceTimers) clearTimeout(timer);
    const agents = await this.presence.removeInstance(this.instanceId).catch(() => []);
    await Promise.all(agents.map((agentId) => this.publish(agentId).catch(() => undefined)));
  }

  async connected(socket: AgentSocket): Promise<void> {
    await this.presence.addConnection(socket.id, socket.data.principal.agentId, this.instanceId);
    await this.publish(socket.data.principal.agentId);
  }

  async disconnected(socket: AgentSocket): Promise<void> {
    const agentId = socket.data.principal.agentId;
    await this.presence.markDisconnected(socket.id);
    // Sockets close during shutdown too: removeInstance above already took this instance's connections.
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer);
      void this.presence
        .removeIfDisconnected(socket.id)
        .then(() => this.publish(agentId))
        .catch((error) => this.logger.error({ err: error }, 'presence update failed'));
    }, this.config.realtime.presenceGraceMs).unref();
    this.graceTimers.add(timer);
  }

  async set(agentId: string, status: PresenceStatus): Promise<void> {
    await this.presence.setStatus(agentId, status);
    await this.publish(agentId);
  }

  /** Pushes the agent's presence if it differs from what this instance last pushed. */
  private async publish(agentId: string): Promise<void> {
    const [current] = await this.presence.presence([agentId]);
    if (!current || this.lastSent.get(agentId) === current.status) return;
    this.lastSent.set(agentId, current.status);
    this.broadcaster.emit([rooms.allAgents], 'presence.updated', { agentId, status: current.status, lastSeenAt: current.lastSeenAt?.toISOString() ?? null });
    this.events.publish({ type: 'agent.presence', agentId, status: current.status });
  }

  private async beat(): Promise<void> {
    try {
      await this.presence.heartbeat(this.instanceId);
      for (const agentId of await this.presence.removeStale()) await this.publish(agentId);
    } catch (error) {
      this.logger.error({ err: error }, 'presence heartbeat failed');
    }
  }
}

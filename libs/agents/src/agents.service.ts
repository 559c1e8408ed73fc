import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Actor, AuditService, SYSTEM_ACTOR } from '@pasokh/audit';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { EntityManager } from 'typeorm';
import { AgentEntity } from './agent.entity';
import { AgentsErrorCode, AgentsException } from './agents.exception';
import { AgentsRepository } from './agents.repository';
import { AgentDto, CreateAgentDto, UpdateAgentDto } from './dto/agent.dto';
import { TeamEntity } from './team.entity';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { AgentPresence, PresenceRepository } from './presence.repository';

function toPresenceDto(p: AgentPresence | undefined): AgentDto['presence'] {
  return { status: p?.status ?? 'offline', lastSeenAt: p?.lastSeenAt?.toISOString() ?? null };
}

@Injectable()
export class AgentsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AgentsService.name);

  constructor(
    private readonly agents: AgentsRepository,
    private readonly presence: PresenceRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD, only while there is no agent at all. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.admin;
    if (!admin || (await this.agents.count()) > 0) return;
    await this.create(SYSTEM_ACTOR, { name: 'Administrator', email: admin.email, password: admin.password, role: 'admin' }).catch((error) => {
      if (!(error instanceof AgentsException)) throw error; // another instance created it first
    });
    this.logger.log(`created the first admin, ${admin.email}`);
  }

  async list(): Promise<AgentDto[]> {
    const agents = await this.agents.findAll();
    return this.toDtos(agents);
  }

  async get(id: string, manager?: EntityManager): Promise<AgentDto> {
    const agent = await this.agents.findById(id, manager);
    if (!agent) throw new AgentsException(AgentsErrorCode.AGENT_NOT_FOUND, `agent ${id} not found`);
    return (await this.toDtos([agent], manager))[0];
  }

  async create(actor: Actor, input: CreateAgentDto): Promise<AgentDto> {
    const passwordHash = await hashPassword(input.password);
    return this.tx.run(async ({ manager }) => {
      await this.assertTeamsExist(manager, input.teamIds ?? []);
      const id = await this.agents.insert(manager, { name: input.name.trim(), email: input.email, role: input.role, passwordHash, active: true });
      if (!id) throw new AgentsException(AgentsErrorCode.AGENT_EMAIL_TAKEN, `an agent with email ${input.email} exists`);
      if (input.teamIds?.length) await this.agents.setAgentTeams(manager, id, input.teamIds);
      await this.audit.record(manager, actor, { action: 'agent.created', entityType: 'agent', entityId: id, data: { email: input.email, role: input.role, teamIds: input.teamIds ?? [] } });
      return this.get(id, manager);
    });
  }

  async update(actor: Actor, id: string, input: UpdateAgentDto): Promise<AgentDto> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    return this.tx.run(async ({ manager, afterCommit }) => {
      const agent = await this.agents.findById(id, manager);
      if (!agent) throw new AgentsException(AgentsErrorCode.AGENT_NOT_FOUND, `agent ${id} not found`);
      if (input.active === false || (input.role && input.role !== agent.role) || input.teamIds) {
        afterCommit(() => this.events.publish({ type: 'agent.access_changed', agentId: id }));
      }
      const losesAdmin = agent.role === 'admin' && agent.active && (input.active === false || (input.role && input.role !== 'admin'));
      if (losesAdmin && (await this.agents.countActiveAdmins(manager)) <= 1) {
        throw new AgentsException(AgentsErrorCode.LAST_ADMIN, 'this is the last active admin: make another admin first');
      }
      if (input.teamIds) {
        await this.assertTeamsExist(manager, input.teamIds);
        await this.agents.setAgentTeams(manager, id, input.teamIds);
      }
      const patch: Partial<AgentEntity> = {};
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.role !== undefined) patch.role = input.role;
      if (input.active !== undefined) patch.active = input.active;
      if (passwordHash) patch.passwordHash = passwordHash;
      if (Object.keys(patch).length) await this.agents.update(manager, id, patch);
      const { password: _password, ...changes } = input;
      await this.audit.record(manager, actor, {
        action: 'agent.updated',
        entityType: 'agent',
        entityId: id,
        data: { ...changes, ...(input.password ? { passwordChanged: true } : {}) },
      });
      return this.get(id, manager);
    });
  }

  /** The agent for these credentials, or null; takes as long for an unknown email as for a wrong password. */
  async verifyCredentials(email: string, password: string): Promise<AgentEntity | null> {
    const agent = await this.agents.findCredentials(email.trim().toLowerCase());
    const ok = await verifyPassword(agent?.passwordHash ?? (await decoyHash()), password);
    return agent && ok && agent.active ? agent : null;
  }

  private async assertTeamsExist(manager: EntityManager, teamIds: string[]): Promise<void> {
    const unique = [...new Set(teamIds)];
    if ((await this.agents.countExisting(manager, TeamEntity, unique)) !== unique.length) {
      throw new AgentsException(AgentsErrorCode.TEAM_NOT_FOUND, 'one of teamIds is not a team');
    }
  }

  private async toDtos(agents: AgentEntity[], manager?: EntityManager): Promise<AgentDto[]> {
    const ids = agents.map((a) => a.id);
    const [memberships, presence] = await Promise.all([this.agents.teamIdsByAgent(ids, manager), this.presence.presence(ids, manager)]);
    return agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      email: agent.email,
      role: agent.role,
      active: agent.active,
      teamIds: memberships.filter((m) => m.agentId === agent.id).map((m) => m.teamId),
      presence: toPresenceDto(presence.find((p) => p.agentId === agent.id)),
      createdAt: agent.createdAt.toISOString(),
    }));
  }
}

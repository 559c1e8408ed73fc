import { Injectable } from '@nestjs/common';
import { Actor, AuditService } from '@pasokh/audit';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { EntityManager } from 'typeorm';
import { AgentEntity } from './agent.entity';
import { AgentsErrorCode, AgentsException } from './agents.exception';
import { AgentsRepository } from './agents.repository';
import { CreateTeamDto, TeamDto, UpdateTeamDto } from './dto/team.dto';
import { TeamEntity } from './team.entity';

@Injectable()
export class TeamsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async list(): Promise<TeamDto[]> {
    return this.toDtos(await this.agents.findTeams(null));
  }

  async create(actor: Actor, input: CreateTeamDto): Promise<TeamDto> {
    return this.tx.run(async ({ manager, afterCommit }) => {
      await this.assertAgentsExist(manager, input.memberIds ?? []);
      const id = await this.agents.insertTeam(manager, { name: input.name.trim(), restricted: input.restricted ?? false });
      if (!id) throw new AgentsException(AgentsErrorCode.TEAM_NAME_TAKEN, `a team named ${input.name} exists`);
      if (input.memberIds?.length) await this.agents.setTeamMembers(manager, id, [...new Set(input.memberIds)]);
      afterCommit(() => this.events.publish({ type: 'team.changed', teamId: id }));
      await this.audit.record(manager, actor, { action: 'team.created', entityType: 'team', entityId: id, data: { ...input } });
      return this.get(manager, id);
    });
  }

  async update(actor: Actor, id: string, input: UpdateTeamDto): Promise<TeamDto> {
    return this.tx.run(async ({ manager, afterCommit }) => {
      await this.get(manager, id);
      afterCommit(() => this.events.publish({ type: 'team.changed', teamId: id }));
      const patch: Partial<TeamEntity> = {};
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.restricted !== undefined) patch.restricted = input.restricted;
      if (Object.keys(patch).length) {
        await this.agents.updateTeam(manager, id, patch).catch((error: { code?: string }) => {
          if (error.code === '23505') throw new AgentsException(AgentsErrorCode.TEAM_NAME_TAKEN, `a team named ${input.name} exists`);
          throw error;
        });
      }
      if (input.memberIds) {
        await this.assertAgentsExist(manager, input.memberIds);
        await this.agents.setTeamMembers(manager, id, [...new Set(input.memberIds)]);
      }
      await this.audit.record(manager, actor, { action: 'team.updated', entityType: 'team', entityId: id, data: { ...input } });
      return this.get(manager, id);
    });
  }

  private async get(manager: EntityManager, id: string): Promise<TeamDto> {
    const team = await this.agents.findTeamById(id, manager);
    if (!team) throw new AgentsException(AgentsErrorCode.TEAM_NOT_FOUND, `team ${id} not found`);
    return (await this.toDtos([team], manager))[0];
  }

  private async assertAgentsExist(manager: EntityManager, agentIds: string[]): Promise<void> {
    const unique = [...new Set(agentIds)];
    if ((await this.agents.countExisting(manager, AgentEntity, unique)) !== unique.length) {
      throw new AgentsException(AgentsErrorCode.AGENT_NOT_FOUND, 'one of memberIds is not an agent');
    }
  }

  private async toDtos(teams: TeamEntity[], manager?: EntityManager): Promise<TeamDto[]> {
    const members = await this.agents.membersOfTeams(teams.map((t) => t.id), manager);
    return teams.map((team) => ({
      id: team.id,
      name: team.name,
      restricted: team.restricted,
      memberIds: members.filter((m) => m.teamId === team.id).map((m) => m.agentId),
      createdAt: team.createdAt.toISOString(),
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AgentEntity } from './agent.entity';
import { TeamEntity, TeamMemberEntity } from './team.entity';

@Injectable()
export class AgentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  count(manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.count(AgentEntity);
  }

  countActiveAdmins(manager: EntityManager): Promise<number> {
    return manager.count(AgentEntity, { where: { role: 'admin', active: true } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgentEntity | null> {
    return manager.findOne(AgentEntity, { where: { id } });
  }

  findAll(manager: EntityManager = this.dataSource.manager): Promise<AgentEntity[]> {
    return manager.find(AgentEntity, { order: { name: 'ASC', id: 'ASC' } });
  }

  /** With the password hash, for login only. */
  findCredentials(email: string): Promise<AgentEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(AgentEntity, 'a')
      .addSelect('a.passwordHash')
      .where('a.email = :email', { email })
      .getOne();
  }

  /** The new agent's id, or null when the email is taken (ON CONFLICT: no check-then-insert race). */
  async insert(manager: EntityManager, agent: Partial<AgentEntity>): Promise<string | null> {
    const result = await manager.createQueryBuilder().insert().into(AgentEntity).values(agent).orIgnore().returning('id').execute();
    return result.raw[0]?.id ?? null;
  }

  async update(manager: EntityManager, id: string, patch: Partial<AgentEntity>): Promise<void> {
    await manager.update(AgentEntity, { id }, patch);
  }

  teamIdsByAgent(agentIds: string[], manager: EntityManager = this.dataSource.manager): Promise<TeamMemberEntity[]> {
    if (!agentIds.length) return Promise.resolve([]);
    return manager.find(TeamMemberEntity, { where: { agentId: In(agentIds) } });
  }

  async setAgentTeams(manager: EntityManager, agentId: string, teamIds: string[]): Promise<void> {
    await manager.delete(TeamMemberEntity, { agentId });
    if (teamIds.length) await manager.insert(TeamMemberEntity, teamIds.map((teamId) => ({ teamId, agentId })));
  }

  findTeams(ids: string[] | null, manager: EntityManager = this.dataSource.manager): Promise<TeamEntity[]> {
    return manager.find(TeamEntity, { where: ids ? { id: In(ids) } : {}, order: { name: 'ASC' } });
  }

  findTeamById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TeamEntity | null> {
    return manager.findOne(TeamEntity, { where: { id } });
  }

  /** The new team's id, or null when the name is taken. */
  async insertTeam(manager: EntityManager, team: Partial<TeamEntity>): Promise<string | null> {
    const result = await manager.createQueryBuilder().insert().into(TeamEntity).values(team).orIgnore().returning('id').execute();
    return result.raw[0]?.id ?? null;
  }

  async updateTeam(manager: EntityManager, id: string, patch: Partial<TeamEntity>): Promise<void> {
    await manager.update(TeamEntity, { id }, patch);
  }

  membersOfTeams(teamIds: string[], manager: EntityManager = this.dataSource.manager): Promise<TeamMemberEntity[]> {
    if (!teamIds.length) return Promise.resolve([]);
    return manager.find(TeamMemberEntity, { where: { teamId: In(teamIds) } });
  }

  async setTeamMembers(manager: EntityManager, teamId: string, agentIds: string[]): Promise<void> {
    await manager.delete(TeamMemberEntity, { teamId });
    if (agentIds.length) await manager.insert(TeamMemberEntity, agentIds.map((agentId) => ({ teamId, agentId })));
  }

  async countExisting(manager: EntityManager, entity: typeof AgentEntity | typeof TeamEntity, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    return manager.count(entity, { where: { id: In(ids) } });
  }
}

import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ParseId, Principal, Roles } from '@pasokh/common';
import { AgentsService } from './agents.service';
import { AgentDto, CreateAgentDto, UpdateAgentDto } from './dto/agent.dto';
import { AgentPreferencesDto, UpdatePreferencesDto } from './dto/preferences.dto';
import { CreateTeamDto, TeamDto, UpdateTeamDto } from './dto/team.dto';
import { PreferencesService } from './preferences.service';
import { TeamsService } from './teams.service';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly preferences: PreferencesService,
  ) {}

  @Get()
  async list(): Promise<{ items: AgentDto[] }> {
    return { items: await this.agents.list() };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<AgentDto> {
    return this.agents.get(principal.agentId);
  }

  /** The calling agent's display settings (the web app's language, calendar, digits). */
  @Get('me/preferences')
  myPreferences(@CurrentPrincipal() principal: Principal): Promise<AgentPreferencesDto> {
    return this.preferences.get(principal.agentId);
  }

  @Patch('me/preferences')
  updateMyPreferences(@CurrentPrincipal() principal: Principal, @Body() body: UpdatePreferencesDto): Promise<AgentPreferencesDto> {
    return this.preferences.update(principal.agentId, body);
  }

  @Get(':id')
  get(@Param('id', ParseId) id: string): Promise<AgentDto> {
    return this.agents.get(id);
  }

  @Post()
  @Roles('admin')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAgentDto): Promise<AgentDto> {
    return this.agents.create({ type: 'agent', id: principal.agentId }, body);
  }

  @Patch(':id')
  @Roles('admin')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateAgentDto): Promise<AgentDto> {
    return this.agents.update({ type: 'agent', id: principal.agentId }, id, body);
  }
}

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  async list(): Promise<{ items: TeamDto[] }> {
    return { items: await this.teams.list() };
  }

  @Post()
  @Roles('admin')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTeamDto): Promise<TeamDto> {
    return this.teams.create({ type: 'agent', id: principal.agentId }, body);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateTeamDto): Promise<TeamDto> {
    return this.teams.update({ type: 'agent', id: principal.agentId }, id, body);
  }
}

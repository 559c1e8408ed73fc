import { Injectable } from '@nestjs/common';
import { AgentsErrorCode, AgentsException } from './agents.exception';
import { AgentPreferencesDto, CALENDARS, DIGITS, LANGUAGES, UpdatePreferencesDto } from './dto/preferences.dto';
import { PreferencesRepository } from './preferences.repository';

/** Only the keys this version knows, with known values: the jsonb column may hold more later. */
function toDto(stored: Record<string, unknown>): AgentPreferencesDto {
  const dto: AgentPreferencesDto = {};
  if ((LANGUAGES as readonly unknown[]).includes(stored.language)) dto.language = stored.language as AgentPreferencesDto['language'];
  if ((CALENDARS as readonly unknown[]).includes(stored.calendar)) dto.calendar = stored.calendar as AgentPreferencesDto['calendar'];
  if ((DIGITS as readonly unknown[]).includes(stored.digits)) dto.digits = stored.digits as AgentPreferencesDto['digits'];
  return dto;
}

/** An agent's own display settings (language, calendar, digits): each agent reads and edits only theirs. */
@Injectable()
export class PreferencesService {
  constructor(private readonly preferences: PreferencesRepository) {}

  async get(agentId: string): Promise<AgentPreferencesDto> {
    const stored = await this.preferences.find(agentId);
    if (!stored) throw new AgentsException(AgentsErrorCode.AGENT_NOT_FOUND, `agent ${agentId} not found`);
    return toDto(stored);
  }

  async update(agentId: string, input: UpdatePreferencesDto): Promise<AgentPreferencesDto> {
    const patch = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    const stored = Object.keys(patch).length ? await this.preferences.merge(agentId, patch) : await this.preferences.find(agentId);
    if (!stored) throw new AgentsException(AgentsErrorCode.AGENT_NOT_FOUND, `agent ${agentId} not found`);
    return toDto(stored);
  }
}

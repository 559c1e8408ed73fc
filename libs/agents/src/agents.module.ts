import { Module } from '@nestjs/common';
import { AgentsController, TeamsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { PreferencesRepository } from './preferences.repository';
import { PreferencesService } from './preferences.service';
import { PresenceRepository } from './presence.repository';
import { TeamsService } from './teams.service';

@Module({
  controllers: [AgentsController, TeamsController],
  providers: [AgentsRepository, AgentsService, TeamsService, PresenceRepository, PreferencesRepository, PreferencesService],
  exports: [AgentsService, AgentsRepository, PresenceRepository],
})
export class AgentsModule {}

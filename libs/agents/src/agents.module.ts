import { Module } from '@nestjs/common';
import { AgentsController, TeamsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { TeamsService } from './teams.service';

@Module({
  controllers: [AgentsController, TeamsController],
  providers: [AgentsRepository, AgentsService, TeamsService],
  exports: [AgentsService, AgentsRepository],
})
export class AgentsModule {}

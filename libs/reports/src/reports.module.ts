import { Module } from '@nestjs/common';
import { AgentLoadRepository } from './agent-load.repository';
import { ReportsController } from './reports.controller';
import { ResponseTimesRepository } from './response-times.repository';
import { ResponseTimesService } from './response-times.service';

@Module({ controllers: [ReportsController], providers: [AgentLoadRepository, ResponseTimesRepository, ResponseTimesService] })
export class ReportsModule {}

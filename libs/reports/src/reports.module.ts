import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ResponseTimesRepository } from './response-times.repository';
import { ResponseTimesService } from './response-times.service';

@Module({ controllers: [ReportsController], providers: [ResponseTimesRepository, ResponseTimesService] })
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { BusinessHours } from './business-hours.service';
import { SlaClockRepository } from './sla-clock.repository';
import { SlaClockService } from './sla-clock.service';
import { SlaConfigController } from './sla-config.controller';
import { SlaConfigRepository } from './sla-config.repository';
import { SlaConfigService } from './sla-config.service';
import { SlaScheduler } from './sla-scheduler';

@Module({
  controllers: [SlaConfigController],
  providers: [BusinessHours, SlaConfigRepository, SlaConfigService, SlaClockRepository, SlaClockService, SlaScheduler],
  exports: [SlaClockService, BusinessHours],
})
export class SlaModule {}

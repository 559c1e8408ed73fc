import { Module } from '@nestjs/common';
import { SlaClockRepository } from './sla-clock.repository';
import { SlaClockService } from './sla-clock.service';
import { SlaConfigController } from './sla-config.controller';
import { SlaConfigRepository } from './sla-config.repository';
import { SlaConfigService } from './sla-config.service';
import { SlaScheduler } from './sla-scheduler';

@Module({
  controllers: [SlaConfigController],
  providers: [SlaConfigRepository, SlaConfigService, SlaClockRepository, SlaClockService, SlaScheduler],
  exports: [SlaClockService],
})
export class SlaModule {}

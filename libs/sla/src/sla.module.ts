import { Module } from '@nestjs/common';
import { SlaConfigController } from './sla-config.controller';
import { SlaConfigRepository } from './sla-config.repository';
import { SlaConfigService } from './sla-config.service';

@Module({
  controllers: [SlaConfigController],
  providers: [SlaConfigRepository, SlaConfigService],
})
export class SlaModule {}

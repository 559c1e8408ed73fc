import { Module } from '@nestjs/common';
import { IngestModule } from '@pasokh/ingest';
import { ApiChannelAdapter } from './api-channel.adapter';
import { ApiChannelController } from './api-channel.controller';

@Module({
  imports: [IngestModule],
  controllers: [ApiChannelController],
  providers: [ApiChannelAdapter],
})
export class ApiChannelModule {}

import { Global, Module } from '@nestjs/common';
import { ChannelAdapterRegistry } from './channel-adapter.registry';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';

@Global()
@Module({
  controllers: [ChannelsController],
  providers: [ChannelAdapterRegistry, ChannelsRepository, ChannelsService],
  exports: [ChannelAdapterRegistry, ChannelsRepository, ChannelsService],
})
export class ChannelCoreModule {}

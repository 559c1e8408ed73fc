import { Global, Module } from '@nestjs/common';
import { ChannelAdapterRegistry } from './channel-adapter.registry';
import { ChannelCursorsRepository } from './channel-cursors.repository';
import { ChannelLeases } from './channel-leases';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';

@Global()
@Module({
  controllers: [ChannelsController],
  providers: [ChannelAdapterRegistry, ChannelsRepository, ChannelsService, ChannelCursorsRepository, ChannelLeases],
  exports: [ChannelAdapterRegistry, ChannelsRepository, ChannelsService, ChannelCursorsRepository, ChannelLeases],
})
export class ChannelCoreModule {}

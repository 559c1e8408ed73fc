import { Injectable } from '@nestjs/common';
import { ChannelAdapter } from './channel-adapter';
import { ChannelType } from './channel.entity';
import { ChannelsErrorCode, ChannelsException } from './channels.exception';

/** Each channel module registers its adapter here at start-up; nothing else knows the adapters. */
@Injectable()
export class ChannelAdapterRegistry {
  private readonly adapters = new Map<ChannelType, ChannelAdapter<any>>();

  register(adapter: ChannelAdapter<any>): void {
    if (this.adapters.has(adapter.type)) throw new Error(`two adapters for channel type ${adapter.type}`);
    this.adapters.set(adapter.type, adapter);
  }

  get(type: ChannelType): ChannelAdapter<any> {
    const adapter = this.adapters.get(type);
    if (!adapter) throw new ChannelsException(ChannelsErrorCode.CHANNEL_TYPE_UNSUPPORTED, `channel type ${type} is not available on this server yet`);
    return adapter;
  }

  find(type: string): ChannelAdapter<any> | undefined {
    return this.adapters.get(type as ChannelType);
  }
}

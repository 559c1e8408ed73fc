import { Inject, Injectable } from '@nestjs/common';
import { ChannelAdapterRegistry, ResolvedChannel } from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { PageChannelConfig } from './meta-config';
import { PageEntry } from './meta-payload';
import { PageMessagingAdapter } from './page-messaging.adapter';

/** Facebook Messenger: a Page's conversations; the customer is the Page-scoped user id (PSID). */
@Injectable()
export class MessengerAdapter extends PageMessagingAdapter {
  readonly type = 'messenger' as const;
  protected readonly provider = 'Messenger';
  protected readonly webhookObject = 'page';
  protected readonly profileFields = 'name';
  protected readonly maxTextBytes = 2000;

  constructor(registry: ChannelAdapterRegistry, @Inject(APP_CONFIG) config: AppConfig) {
    super(config);
    registry.register(this);
  }

  /** One app's webhook carries every Page it is subscribed to: only this channel's Page is ours. */
  protected isForChannel(channel: ResolvedChannel<PageChannelConfig>, entry: PageEntry): boolean {
    return String(entry.id) === channel.config.pageId;
  }
}

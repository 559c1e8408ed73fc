import { Inject, Injectable } from '@nestjs/common';
import { ChannelAdapterRegistry, DeliveryError, OutboundMessage } from '@pasokh/channel-core';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { PageMessagingAdapter } from './page-messaging.adapter';

/** Instagram Direct through the linked Facebook Page; the customer is the Instagram-scoped id (IGSID). */
@Injectable()
export class InstagramAdapter extends PageMessagingAdapter {
  readonly type = 'instagram' as const;
  protected readonly provider = 'Instagram';
  protected readonly webhookObject = 'instagram';
  protected readonly profileFields = 'name,username';
  protected readonly maxTextBytes = 1000;

  constructor(registry: ChannelAdapterRegistry, @Inject(APP_CONFIG) config: AppConfig) {
    super(config);
    registry.register(this);
  }

  /**
   * Instagram takes files only as a public URL it fetches itself, and Pasokh's attachments are
   * private: refuse before anything is sent rather than deliver the text without the file.
   */
  protected assertSendable(message: OutboundMessage): void {
    if (message.attachments.length) {
      throw new DeliveryError('Instagram replies from Pasokh can carry text only; send the reply again without the attachment', true);
    }
  }
}

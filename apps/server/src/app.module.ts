import { DynamicModule, Module } from '@nestjs/common';
import { ApiChannelModule } from '@channels/api';
import { EmailModule } from '@channels/email';
import { MetaModule } from '@channels/meta';
import { TelegramModule } from '@channels/telegram';
import { TwilioSmsModule } from '@channels/twilio-sms';
import { WebchatModule } from '@channels/webchat';
import { AgentsModule } from '@pasokh/agents';
import { AssignmentModule } from '@pasokh/assignment';
import { AuditModule } from '@pasokh/audit';
import { AuthModule } from '@pasokh/auth';
import { AwayReplyModule } from '@pasokh/away-reply';
import { CsatModule } from '@pasokh/csat';
import { ChannelCoreModule } from '@pasokh/channel-core';
import { AppConfig, ConfigModule } from '@pasokh/config';
import { CustomersModule } from '@pasokh/customers';
import { Database, DatabaseModule } from '@pasokh/database';
import { DeliveryModule } from '@pasokh/delivery';
import { EventsModule } from '@pasokh/events';
import { MessagesModule } from '@pasokh/messages';
import { OutboxModule } from '@pasokh/outbox';
import { RealtimeModule } from '@pasokh/realtime';
import { ReportsModule } from '@pasokh/reports';
import { SavedRepliesModule } from '@pasokh/saved-replies';
import { SlaModule } from '@pasokh/sla';
import { TicketsModule } from '@pasokh/tickets';
import { HealthController } from './health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        EventsModule,
        AuditModule,
        OutboxModule,
        ChannelCoreModule,
        AgentsModule,
        AuthModule,
        CustomersModule,
        TicketsModule,
        MessagesModule,
        ApiChannelModule,
        TwilioSmsModule,
        TelegramModule,
        MetaModule,
        EmailModule,
        WebchatModule,
        DeliveryModule,
        RealtimeModule,
        SlaModule,
        ReportsModule,
        SavedRepliesModule,
        AssignmentModule,
        CsatModule,
        AwayReplyModule,
      ],
      controllers: [HealthController],
    };
  }
}

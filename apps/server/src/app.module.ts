import { DynamicModule, Module } from '@nestjs/common';
import { ApiChannelModule } from '@channels/api';
import { EmailModule } from '@channels/email';
import { MetaModule } from '@channels/meta';
import { TelegramModule } from '@channels/telegram';
import { TwilioSmsModule } from '@channels/twilio-sms';
import { AgentsModule } from '@pasokh/agents';
import { AuditModule } from '@pasokh/audit';
import { AuthModule } from '@pasokh/auth';
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
import { SlaModule } from '@pasokh/sla';
import { TicketsModule } from '@pasokh/tickets';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { HealthController } from './health.controller';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: Database): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            // Secrets never reach a log line: tokens, passwords and signatures are cut out here.
            redact: {
              // A failed query's parameters may hold hashes or sealed secrets.
              paths: ['req.headers.authorization', 'req.headers["x-channel-token"]', 'req.headers.cookie', 'req.headers["x-twilio-signature"]', 'req.headers["x-telegram-bot-api-secret-token"]', 'res.headers["set-cookie"]', 'req.headers["x-hub-signature-256"]', 'err.parameters', 'err.driverError.parameters'],
              censor: '[redacted]',
            },
            // Webhook query strings can carry a verify token (Meta's hub.verify_token): log the path only.
            serializers: { req: (req: { url?: string }) => ({ ...req, url: req.url?.startsWith('/webhooks/') ? req.url.split('?')[0] : req.url }) },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
            autoLogging: { ignore: (req) => req.url === '/api/health' },
          },
        }),
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
        DeliveryModule,
        RealtimeModule,
        SlaModule,
        ReportsModule,
      ],
      controllers: [HealthController],
    };
  }
}

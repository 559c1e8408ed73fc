import { Module } from '@nestjs/common';
import { AgentsModule } from '@pasokh/agents';
import { AuthModule } from '@pasokh/auth';
import { MessagesModule } from '@pasokh/messages';
import { TicketsModule } from '@pasokh/tickets';
import { AgentsGateway } from './agents.gateway';
import { Broadcaster } from './broadcaster';
import { CollisionService } from './collision.service';
import { EventRelay } from './event-relay';
import { NamespaceHolder } from './namespace.holder';
import { PresenceService } from './presence.service';

@Module({
  imports: [AgentsModule, AuthModule, TicketsModule, MessagesModule],
  providers: [AgentsGateway, NamespaceHolder, Broadcaster, EventRelay, PresenceService, CollisionService],
})
export class RealtimeModule {}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgentsModule } from '@pasokh/agents';
import { ApiTokensController, AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { TokensRepository } from './tokens.repository';

@Module({
  imports: [AgentsModule],
  controllers: [AuthController, ApiTokensController],
  providers: [AuthService, TokensRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}

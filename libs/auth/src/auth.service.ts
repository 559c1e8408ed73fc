import { Inject, Injectable } from '@nestjs/common';
import { AgentsService } from '@pasokh/agents';
import { AuditService } from '@pasokh/audit';
import { Principal } from '@pasokh/common';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { AuthErrorCode, AuthException } from './auth.exception';
import { ApiTokenDto, CreatedApiTokenDto, LoginResponseDto } from './dto/auth.dto';
import { ApiTokenEntity } from './api-token.entity';
import { hashToken, newToken } from './tokens';
import { TokensRepository } from './tokens.repository';

// Writing last_used_at on every request would turn reads into writes; once a minute is enough.
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class AuthService {
  constructor(
    private readonly agents: AgentsService,
    private readonly tokens: TokensRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<LoginResponseDto> {
    const agent = await this.agents.verifyCredentials(email, password);
    if (!agent) throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS, 'email or password is wrong');
    const accessToken = newToken('session');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSec * 1000);
    await this.tx.run(async ({ manager }) => {
      const session = await this.tokens.insert(manager, { agentId: agent.id, kind: 'session', name: 'login', tokenHash: hashToken(accessToken), expiresAt });
      await this.audit.record(manager, { type: 'agent', id: agent.id }, { action: 'auth.login', entityType: 'session', entityId: session.id });
    });
    return { accessToken, expiresAt: expiresAt.toISOString(), agent: { id: agent.id, name: agent.name, email: agent.email, role: agent.role } };
  }

  /** The principal behind a bearer token, or an AuthException saying why not. */
  async authenticate(token: string | null): Promise<Principal> {
    if (!token) throw new AuthException(AuthErrorCode.MISSING_TOKEN, 'send Authorization: Bearer <token>');
    const owner = await this.tokens.findOwner(hashToken(token));
    if (!owner) throw new AuthException(AuthErrorCode.INVALID_TOKEN, 'the token is unknown, expired or revoked, or its agent is deactivated');
    if (!owner.lastUsedAt || Date.now() - owner.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.tokens.touch(owner.tokenId);
    }
    return { agentId: owner.agentId, name: owner.name, email: owner.email, role: owner.role, tokenId: owner.tokenId, tokenKind: owner.tokenKind };
  }

  /** Whether a token (by id) is still live: not revoked, not expired, its agent active. */
  async isValid(tokenId: string): Promise<boolean> {
    return this.tokens.isLive(tokenId);
  }

  async logout(principal: Principal): Promise<void> {
    await this.tx.run(async ({ manager, afterCommit }) => {
      await this.tokens.revoke(manager, principal.tokenId);
      afterCommit(() => this.events.publish({ type: 'token.revoked', tokenId: principal.tokenId }));
      await this.audit.record(manager, actorOf(principal), { action: 'auth.logout', entityType: 'session', entityId: principal.tokenId });
    });
  }

  async createApiToken(principal: Principal, name: string): Promise<CreatedApiTokenDto> {
    const token = newToken('api');
    return this.tx.run(async ({ manager }) => {
      const row = await this.tokens.insert(manager, { agentId: principal.agentId, kind: 'api', name, tokenHash: hashToken(token) });
      await this.audit.record(manager, actorOf(principal), { action: 'api_token.created', entityType: 'api_token', entityId: row.id, data: { name } });
      return { ...toDto(row), token };
    });
  }

  /** Admins see every API token; others see their own. */
  async listApiTokens(principal: Principal): Promise<ApiTokenDto[]> {
    const rows = await this.tokens.listApiTokens(principal.role === 'admin' ? null : principal.agentId);
    return rows.map(toDto);
  }

  async revokeApiToken(principal: Principal, id: string): Promise<void> {
    await this.tx.run(async ({ manager, afterCommit }) => {
      const row = await this.tokens.findById(manager, id);
      if (!row || row.kind !== 'api' || (row.agentId !== principal.agentId && principal.role !== 'admin')) {
        throw new AuthException(AuthErrorCode.TOKEN_NOT_FOUND, `API token ${id} not found`);
      }
      await this.tokens.revoke(manager, id);
      afterCommit(() => this.events.publish({ type: 'token.revoked', tokenId: id }));
      await this.audit.record(manager, actorOf(principal), { action: 'api_token.revoked', entityType: 'api_token', entityId: id });
    });
  }
}

function actorOf(principal: Principal) {
  return { type: 'agent' as const, id: principal.agentId };
}

function toDto(row: ApiTokenEntity): ApiTokenDto {
  return { id: row.id, name: row.name, agentId: row.agentId, lastUsedAt: row.lastUsedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

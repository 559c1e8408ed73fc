import { Injectable } from '@nestjs/common';
import { Role } from '@pasokh/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';

export interface TokenOwner {
  tokenId: string;
  tokenKind: ApiTokenEntity['kind'];
  lastUsedAt: Date | null;
  agentId: string;
  name: string;
  email: string;
  role: Role;
}

@Injectable()
export class TokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The active agent behind a live token, in one indexed query per request. */
  async findOwner(tokenHash: string): Promise<TokenOwner | null> {
    const rows: TokenOwner[] = await this.dataSource.query(
      `SELECT t.id AS "tokenId", t.kind AS "tokenKind", t.last_used_at AS "lastUsedAt",
              a.id AS "agentId", a.name, a.email, a.role
         FROM api_tokens t JOIN agents a ON a.id = t.agent_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND a.active`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async isLive(tokenId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM api_tokens t JOIN agents a ON a.id = t.agent_id
        WHERE t.id = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND a.active`,
      [tokenId],
    );
    return rows.length > 0;
  }

  async insert(manager: EntityManager, token: Partial<ApiTokenEntity>): Promise<ApiTokenEntity> {
    const result = await manager.insert(ApiTokenEntity, token);
    return manager.findOneOrFail(ApiTokenEntity, { where: { id: result.identifiers[0].id } });
  }

  async touch(tokenId: string): Promise<void> {
    await this.dataSource.manager.update(ApiTokenEntity, { id: tokenId }, { lastUsedAt: new Date() });
  }

  listApiTokens(agentId: string | null): Promise<ApiTokenEntity[]> {
    return this.dataSource.manager.find(ApiTokenEntity, {
      where: { kind: 'api', revokedAt: IsNull(), ...(agentId ? { agentId } : {}) },
      order: { createdAt: 'DESC' },
    });
  }

  findById(manager: EntityManager, id: string): Promise<ApiTokenEntity | null> {
    return manager.findOne(ApiTokenEntity, { where: { id } });
  }

  async revoke(manager: EntityManager, id: string): Promise<void> {
    await manager.update(ApiTokenEntity, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}

import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppConfig } from '@pasokh/config';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import { BoundedRecoveryAdapter, RECOVERY_HISTORY_MAX } from './bounded-recovery.adapter';

type RedisClient = ReturnType<typeof createClient>;

/**
 * socket.io with connection-state recovery (a client that reconnects within the recovery window gets
 * every event it missed, in order) and, with REDIS_URL, the Redis Streams adapter: pushes and socket
 * management cross instances, and recovery holds whichever instance the client comes back to.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Realtime');

  private constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly redis: RedisClient | null,
  ) {
    super(app);
  }

  static async create(app: INestApplicationContext, config: AppConfig): Promise<RealtimeIoAdapter> {
    if (!config.redisUrl) return new RealtimeIoAdapter(app, config, null);
    const redis = createClient({ url: config.redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) } });
    const adapter = new RealtimeIoAdapter(app, config, redis);
    redis.on('error', (error) => adapter.logger.error({ err: error }, 'redis error'));
    await redis.connect();
    return adapter;
  }

  createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      connectionStateRecovery: { maxDisconnectionDuration: this.config.realtime.recoveryWindowMs, skipMiddlewares: false },
      // Enough history for a 2-minute reconnect at a busy team's event rate; older entries are trimmed.
      adapter: this.redis
        ? createAdapter(this.redis, { streamName: this.config.realtime.redisStreamName, maxLen: RECOVERY_HISTORY_MAX })
        : BoundedRecoveryAdapter,
    });
    return server;
  }

  async dispose(): Promise<void> {
    if (this.redis?.isOpen) await this.redis.quit().catch(() => undefined);
  }
}

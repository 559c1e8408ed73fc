import { isAbsolute, resolve } from 'node:path';

export type ServerRole = 'api' | 'workers';

/** Everything the server reads from its environment, validated once at boot. */
export interface AppConfig {
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  redisUrl: string | null;
  publicUrl: string;
  /** 32-byte key for channel secrets; null in embedded mode until read from DATA_DIR. */
  secretKey: Buffer | null;
  admin: { email: string; password: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  roles: ServerRole[];
  databasePoolSize: number;
  /** ISO country whose numbers may be written without a country code (e.g. IR for 0912…). */
  phoneRegion: string | null;
  sessionTtlSec: number;
  reopenWindowSec: number;
  maxAttachmentBytes: number;
  outbox: { maxAttempts: number; backoffBaseMs: number; pollIntervalMs: number };
  realtime: {
    /** The Redis stream that carries socket.io packets between instances (with REDIS_URL). */
    redisStreamName: string;
    /** A dropped agent stays online this long, so a reload or a network blip is not a flap. */
    presenceGraceMs: number;
    /** A viewer disappears from "who is viewing" without a ticket.view heartbeat this long. */
    viewingTtlMs: number;
    /** "Is replying" ends without a typing heartbeat this long. */
    typingTtlMs: number;
    /** Missed events are replayed to a client that reconnects within this long. */
    recoveryWindowMs: number;
    /** Batching clients get broadcasts gathered over at most this long, one frame per batch. */
    pushBatchMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const port = read.int('PORT', 3000, 0, 65535);
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const publicUrl = read.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const dataDirRaw = read.string('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const secretKey = read.key('PASOKH_SECRET_KEY');
  if (databaseUrl && !secretKey && !problems.some((p) => p.startsWith('PASOKH_SECRET_KEY'))) {
    problems.push(
      'PASOKH_SECRET_KEY is required with DATABASE_URL: 32 random bytes as base64 or hex (e.g. `openssl rand -base64 32`); every instance must share it',
    );
  }

  const adminEmail = read.string('ADMIN_EMAIL');
  const adminPassword = read.string('ADMIN_PASSWORD');
  let admin: AppConfig['admin'] = null;
  if (adminEmail || adminPassword) {
    if (!adminEmail || !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) problems.push('ADMIN_EMAIL must be an email address when ADMIN_PASSWORD is set');
    if (!adminPassword || adminPassword.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters when ADMIN_EMAIL is set');
    if (adminEmail && adminPassword) admin = { email: adminEmail.trim().toLowerCase(), password: adminPassword };
  }

  const logLevel = read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info');
  const roles = read.list('ROLES', ['api', 'workers'] as const, ['api', 'workers']);

  const config: AppConfig = {
    port,
    databaseUrl,
    dataDir,
    redisUrl,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    secretKey,
    admin,
    logLevel,
    roles,
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 200),
    phoneRegion: read.pattern('DEFAULT_PHONE_REGION', /^[A-Z]{2}$/, 'a two-letter country code such as IR'),
    sessionTtlSec: read.int('SESSION_TTL_HOURS', 168, 1, 24 * 365) * 3600,
    reopenWindowSec: read.int('REOPEN_WINDOW_HOURS', 168, 0, 24 * 365) * 3600,
    maxAttachmentBytes: read.int('MAX_ATTACHMENT_MB', 25, 1, 1024) * 1024 * 1024,
    outbox: {
      maxAttempts: read.int('OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
      backoffBaseMs: read.int('OUTBOX_BACKOFF_MS', 2000, 1, 3_600_000),
      pollIntervalMs: read.int('OUTBOX_POLL_MS', 1000, 10, 60_000),
    },
    realtime: {
      redisStreamName: read.pattern('REDIS_STREAM_NAME', /^[\w:.-]{1,100}$/, 'letters, digits, and : . _ -') ?? 'pasokh:socket.io',
      presenceGraceMs: read.int('PRESENCE_GRACE_SEC', 10, 0, 3600) * 1000,
      viewingTtlMs: read.int('VIEWING_TTL_SEC', 45, 1, 3600) * 1000,
      typingTtlMs: read.int('TYPING_TTL_SEC', 6, 1, 600) * 1000,
      recoveryWindowMs: read.int('RECOVERY_WINDOW_SEC', 120, 0, 3600) * 1000,
      pushBatchMs: read.int('PUSH_BATCH_MS', 20, 0, 1000),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  url(name: string, protocols: string[]): string | null {
    const raw = this.string(name);
    if (raw === null) return null;
    try {
      const url = new URL(raw);
      if (protocols.includes(url.protocol)) return raw;
    } catch {
      // reported below
    }
    // Never echo the value: database and Redis URLs carry passwords.
    this.problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return null;
  }

  key(name: string): Buffer | null {
    const raw = this.string(name);
    if (raw === null) return null;
    const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) {
      this.problems.push(`${name} must be 32 bytes as base64 or 64 hex characters (decoded to ${key.length} bytes)`);
      return null;
    }
    return key;
  }

  pattern(name: string, pattern: RegExp, what: string): string | null {
    const raw = this.string(name);
    if (raw === null) return null;
    if (!pattern.test(raw)) {
      this.problems.push(`${name} must be ${what} (got "${raw}")`);
      return null;
    }
    return raw;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === null) return fallback;
    if (!allowed.includes(raw as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  list<T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] {
    const raw = this.string(name);
    if (raw === null) return fallback;
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = items.filter((item) => !allowed.includes(item as T));
    if (bad.length || !items.length) {
      this.problems.push(`${name} must be a comma-separated list of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return [...new Set(items)] as T[];
  }
}

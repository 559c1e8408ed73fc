import { Inject, Injectable } from '@nestjs/common';
import { Actor, AuditService } from '@pasokh/audit';
import { APP_CONFIG, AppConfig } from '@pasokh/config';
import { TransactionService } from '@pasokh/database';
import { DomainEvents } from '@pasokh/events';
import { createHash, randomBytes } from 'node:crypto';
import { ResolvedChannel } from './channel-adapter';
import { ChannelAdapterRegistry } from './channel-adapter.registry';
import { ChannelEntity, ChannelType, ConnectionState } from './channel.entity';
import { ChannelsErrorCode, ChannelsException } from './channels.exception';
import { ChannelsRepository } from './channels.repository';
import { ChannelAssignmentDto, ChannelAwayReplyDto, ChannelDto, CreateChannelDto, CreatedChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { mergeSecrets, SecretBox, splitSecrets } from './secret-box';

export interface ChannelWithSecrets {
  channel: ResolvedChannel;
  active: boolean;
  inboundTokenHash: string | null;
}

export function hashInboundToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// Every inbound request resolves its channel (a read and an AES-GCM open): a few seconds of caching
// keep that off the hot path; an update on this instance drops the entry at once.
const RESOLVE_TTL_MS = 5_000;
// Channel health's "last message at" is advisory: writing it once per interval keeps every ingest
// transaction from queueing on the one channel row.
const HEALTH_WRITE_INTERVAL_MS = 5_000;

@Injectable()
export class ChannelsService {
  private readonly box: SecretBox;
  private readonly resolved = new Map<string, { value: ChannelWithSecrets; expiresAt: number }>();
  private readonly lastHealthWrite = new Map<string, number>();

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly adapters: ChannelAdapterRegistry,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!config.secretKey) throw new Error('the secret key must be resolved before the channels module starts');
    this.box = new SecretBox(config.secretKey);
  }

  async list(): Promise<ChannelDto[]> {
    return Promise.all((await this.channels.findAll()).map((c) => this.toDto(c)));
  }

  async get(id: string): Promise<ChannelDto> {
    const channel = await this.channels.findById(id);
    if (!channel) throw notFound(id);
    return this.toDto(channel);
  }

  async create(actor: Actor, input: CreateChannelDto): Promise<CreatedChannelDto> {
    const adapter = this.adapters.get(input.type);
    const config = adapter.parseConfig(input.config);
    await adapter.checkCredentials({ id: '', type: input.type, name: input.name, config });
    const { publicPart, secrets } = splitSecrets(config, adapter.secretFields);
    const inboundToken = adapter.usesInboundToken ? `psk_c_${randomBytes(32).toString('base64url')}` : undefined;
    const assignment = await this.assignmentColumns(input.assignment ?? { auto: false, teamId: null, maxOpenPerAgent: null });
    const away = await this.awayColumns(input.type, input.awayReply ?? null);
    const id = await this.tx.run(async ({ manager }) => {
      const id = await this.channels.insert(manager, {
        type: input.type,
        name: input.name.trim(),
        config: publicPart,
        secrets: Object.keys(secrets).length ? this.box.seal(secrets) : null,
        inboundTokenHash: inboundToken ? hashInboundToken(inboundToken) : null,
        active: true,
        csatEnabled: input.csat ?? false,
        ...assignment,
        ...away,
      });
      await this.audit.record(manager, actor, { action: 'channel.created', entityType: 'channel', entityId: id, data: { type: input.type, name: input.name, config: publicPart, assignment: input.assignment, csat: input.csat, awayReply: input.awayReply } });
      return id;
    });
    await this.afterSave(id);
    return { ...(await this.get(id)), ...(inboundToken ? { inboundToken } : {}) };
  }

  async update(actor: Actor, id: string, input: UpdateChannelDto): Promise<ChannelDto> {
    const current = await this.resolve(id);
    const adapter = this.adapters.get(current.channel.type);
    const patch: Partial<ChannelEntity> = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.active !== undefined) patch.active = input.active;
    if (input.assignment) Object.assign(patch, await this.assignmentColumns(input.assignment));
    if (input.csat !== undefined) patch.csatEnabled = input.csat;
    if (input.awayReply !== undefined) Object.assign(patch, await this.awayColumns(current.channel.type, input.awayReply));
    if (input.config) {
      // Secrets are write-only: a client that never saw them sends the config without them.
      const stored = splitSecrets(current.channel.config, adapter.secretFields).secrets;
      const config = adapter.parseConfig(mergeSecrets(input.config, { ...stored, ...splitSecrets(input.config, adapter.secretFields).secrets }));
      await adapter.checkCredentials({ ...current.channel, config });
      const { publicPart, secrets } = splitSecrets(config, adapter.secretFields);
      patch.config = publicPart;
      patch.secrets = Object.keys(secrets).length ? this.box.seal(secrets) : null;
    }
    this.resolved.delete(id);
    await this.tx.run(async ({ manager }) => {
      await this.channels.update(manager, id, patch);
      await this.audit.record(manager, actor, {
        action: 'channel.updated',
        entityType: 'channel',
        entityId: id,
        data: { name: patch.name, active: patch.active, config: patch.config, assignment: input.assignment, csat: input.csat, awayReply: input.awayReply },
      });
    });
    this.resolved.delete(id);
    await this.afterSave(id);
    return this.get(id);
  }

  private async assignmentColumns(input: ChannelAssignmentDto): Promise<Pick<ChannelEntity, 'autoAssign' | 'routeTeamId' | 'maxOpenPerAgent'>> {
    const teamId = input.teamId ?? null;
    if (teamId && !(await this.channels.teamExists(teamId))) {
      throw new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, `assignment.teamId: no team has the id ${teamId} (GET /api/teams)`);
    }
    return { autoAssign: input.auto, routeTeamId: teamId, maxOpenPerAgent: input.maxOpenPerAgent ?? null };
  }

  private async awayColumns(type: ChannelType, input: ChannelAwayReplyDto | null): Promise<Pick<ChannelEntity, 'awayCalendarId' | 'awayMessage'>> {
    if (!input) return { awayCalendarId: null, awayMessage: null };
    if (type === 'webchat') {
      throw new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, 'awayReply: a web chat says it in the widget; set config.calendarId and config.awayMessage');
    }
    if (!(await this.channels.calendarExists(input.calendarId))) {
      throw new ChannelsException(ChannelsErrorCode.INVALID_CONFIG, `awayReply.calendarId: no business hours have the id ${input.calendarId} (GET /api/calendars)`);
    }
    return { awayCalendarId: input.calendarId, awayMessage: input.message?.trim() || null };
  }

  /** Lets the adapter tell the provider about the channel (e.g. setWebhook), then tells listeners. */
  private async afterSave(id: string): Promise<void> {
    const { channel } = await this.resolve(id);
    const adapter = this.adapters.get(channel.type);
    try {
      await adapter.onSaved?.(channel, adapter.webhookPath ? this.config.publicUrl + adapter.webhookPath(id) : null);
    } catch (error) {
      await this.channels.recordError(id, `setting up the channel with the provider failed: ${(error as Error).message}`);
    }
    this.events.publish({ type: 'channel.saved', channelId: id });
  }

  /** The channel with its secrets decrypted, for adapters. */
  async resolve(id: string): Promise<ChannelWithSecrets> {
    const cached = this.resolved.get(id);
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    const row = await this.channels.findWithSecrets(id);
    if (!row) throw notFound(id);
    const secrets = row.secrets ? this.box.open<Record<string, unknown>>(row.secrets) : {};
    const value = {
      channel: { id: row.id, type: row.type, name: row.name, config: mergeSecrets(row.config, secrets) },
      active: row.active,
      inboundTokenHash: row.inboundTokenHash,
    };
    this.resolved.set(id, { value, expiresAt: Date.now() + RESOLVE_TTL_MS });
    return value;
  }

  /** Notes a message for the channel's health, at most once per interval, outside any transaction. */
  noteMessage(id: string, at: Date): void {
    const last = this.lastHealthWrite.get(id) ?? 0;
    if (at.getTime() - last < HEALTH_WRITE_INTERVAL_MS) return;
    this.lastHealthWrite.set(id, at.getTime());
    this.channels.recordMessage(id, at).catch(() => this.lastHealthWrite.delete(id));
  }

  recordConnection(id: string, state: ConnectionState): Promise<void> {
    return this.channels.recordConnection(id, state);
  }

  recordError(id: string, error: string): Promise<void> {
    return this.channels.recordError(id, error);
  }

  private async toDto(channel: ChannelEntity): Promise<ChannelDto> {
    const adapter = this.adapters.get(channel.type);
    const cursors = await this.channels.cursors(channel.id);
    return {
      id: channel.id,
      type: channel.type,
      name: channel.name,
      active: channel.active,
      config: channel.config,
      assignment: { auto: channel.autoAssign, teamId: channel.routeTeamId, maxOpenPerAgent: channel.maxOpenPerAgent },
      csat: channel.csatEnabled,
      awayReply: channel.awayCalendarId ? { calendarId: channel.awayCalendarId, message: channel.awayMessage } : null,
      ...(adapter.webhookPath ? { webhookUrl: this.config.publicUrl + adapter.webhookPath(channel.id) } : {}),
      health: {
        lastError: channel.lastError,
        lastErrorAt: channel.lastErrorAt?.toISOString() ?? null,
        lastMessageAt: channel.lastMessageAt?.toISOString() ?? null,
        ...(channel.connectionState ? { connection: { state: channel.connectionState, since: channel.connectionChangedAt?.toISOString() ?? null } } : {}),
        cursor: Object.fromEntries(cursors.map((c) => [c.key, c.value])),
      },
      createdAt: channel.createdAt.toISOString(),
    };
  }
}

function notFound(id: string) {
  return new ChannelsException(ChannelsErrorCode.CHANNEL_NOT_FOUND, `channel ${id} not found`);
}
